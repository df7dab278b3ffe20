/**
 * @module deployments/ledger/lease-statements
 * The SQL of the ledger's leases (lease-book.ts, decisions 0024 and 0035) on the counters of
 * migration 0016 and the lease owners of migration 0025.
 */

// One conditional update takes what the calls need plus a lease: the extra is computed from the
// locked row, in whole multiples of the call's amount, and the whole grant must fit under the cap.
// The grant is added to the replica's lease row ($9) after the counter row is locked.
export const takeSql = `WITH granted AS (
UPDATE ledger_counters c SET reserved = c.reserved + g.grant, cap = g.cap
  FROM (SELECT o.limit_id, o.window_start, u.cap,
               u.n + CASE WHEN u.x AND u.a > 0 THEN LEAST(u.a * $2::float8,
                 floor(GREATEST(u.cap - o.used - o.reserved - u.n, 0) * $1::float8 / u.a) * u.a) ELSE 0 END AS grant
          FROM ledger_counters o
          JOIN unnest($3::text[], $4::int8[], $5::float8[], $6::float8[], $7::float8[], $8::bool[])
            AS u(l, w, n, a, cap, x) ON o.limit_id = u.l AND o.window_start = u.w
         ORDER BY o.limit_id, o.window_start
         FOR UPDATE OF o) g
 WHERE c.limit_id = g.limit_id AND c.window_start = g.window_start
   AND c.used + c.reserved + g.grant <= g.cap
RETURNING c.limit_id, c.window_start, g.grant
), owned AS (
INSERT INTO ledger_leases (replica_id, limit_id, window_start, outstanding)
  SELECT $9::text, t.limit_id, t.window_start, t.grant FROM granted t WHERE t.grant > 0
  ON CONFLICT (replica_id, limit_id, window_start)
  DO UPDATE SET outstanding = ledger_leases.outstanding + excluded.outstanding
)
SELECT t.limit_id, t.window_start::text AS window_start, t.grant FROM granted t`;

export const ensureSql = `INSERT INTO ledger_counters (limit_id, window_start, cap)
  SELECT * FROM unnest($1::text[], $2::int8[], $3::float8[]) ON CONFLICT DO NOTHING`;

// Usage booked (past what a reclaim charged already), allowance handed back (only what the lease
// still owes), and what calls in flight hold recorded, per lease row — in counter lock order
// (migrations 0025 and 0030). Answers whether the writing replica ($1) is still alive.
export const flushSql = `SELECT keel_ledger_flush($1::text, $2::text[], $3::text[], $4::int8[], $5::float8[],
  $6::float8[], $7::float8[]) AS alive`;

/** A replica's heartbeat: its leases stay its own until `expires_at` (plus the reclaim grace). */
export const registerSql = `INSERT INTO ledger_replicas (id, expires_at)
  VALUES ($1, clock_timestamp() + $2::float8 * interval '1 millisecond')`;
export const heartbeatSql = `UPDATE ledger_replicas SET expires_at = clock_timestamp() + $2::float8 * interval '1 millisecond'
 WHERE id = $1 RETURNING id`;

/** Returns to the counters the unused leases of replicas whose heartbeat expired (tombstones kept $2 ms). */
export const reclaimSql = 'SELECT keel_ledger_reclaim($1::float8, $2::float8) AS reclaimed';

/** A replica declared dead, all of whose calls under that id settled, gives back what was over-charged. */
export const releaseSql = 'SELECT keel_ledger_release($1::text)';
