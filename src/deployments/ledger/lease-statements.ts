/**
 * @module deployments/ledger/lease-statements
 * The SQL of the ledger's leases (lease-book.ts, decision 0024) on the counters of migration 0016.
 */

// One conditional update takes what the calls need plus a lease: the extra is computed from the
// locked row, in whole multiples of the call's amount, and the whole grant must fit under the cap.
export const takeSql = `UPDATE ledger_counters c SET reserved = c.reserved + g.grant, cap = g.cap
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
RETURNING c.limit_id, c.window_start::text AS window_start, g.grant`;

export const ensureSql = `INSERT INTO ledger_counters (limit_id, window_start, cap)
  SELECT * FROM unnest($1::text[], $2::int8[], $3::float8[]) ON CONFLICT DO NOTHING`;

export const flushSql = `UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - u.r, 0), used = c.used + u.a
  FROM unnest($1::text[], $2::int8[], $3::float8[], $4::float8[]) AS u(l, w, r, a)
 WHERE c.limit_id = u.l AND c.window_start = u.w`;
