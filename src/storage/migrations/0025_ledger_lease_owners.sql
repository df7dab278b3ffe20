-- Ledger leases carry their replica (decision 0035). A replica that dies holding a lease no longer
-- strands its unused allowance in `reserved` until the window ends (for a lifetime budget: for
-- good): each live replica keeps a heartbeat row, each lease records how much of the counter's
-- `reserved` the replica owes and how much calls in flight held at its last flush, and a replica
-- that finds a counter full reclaims the leases of replicas whose heartbeat expired.
--
-- Every statement that changes a lease row first holds its counter's row lock (in counter order),
-- so a lease and its counter move together and a reclaim never races a flush of the same lease.

CREATE TABLE ledger_replicas (
  id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE ledger_leases (
  replica_id text NOT NULL,
  limit_id text NOT NULL,
  window_start bigint NOT NULL,
  -- What this replica owes the counter's `reserved`: its lease, spare and held.
  outstanding double precision NOT NULL DEFAULT 0,
  -- Of that, what calls in flight held at the replica's last flush (booked as used on reclaim).
  held double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (replica_id, limit_id, window_start),
  FOREIGN KEY (limit_id, window_start) REFERENCES ledger_counters (limit_id, window_start) ON DELETE CASCADE
);
CREATE INDEX ledger_leases_counter ON ledger_leases (limit_id, window_start);

-- Writes a replica's settled usage and hands allowance back, batched: `back` leaves `reserved`
-- only while the replica still owns its lease row (a reclaimed lease was already returned);
-- `used` is always booked. Rows are unique per counter (the caller sums them).
CREATE FUNCTION keel_ledger_flush(p_replica text, p_limits text[], p_windows bigint[], p_back float8[],
  p_used float8[], p_held float8[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM ledger_counters c
    JOIN unnest(p_limits, p_windows) AS u(l, w) ON c.limit_id = u.l AND c.window_start = u.w
   ORDER BY c.limit_id, c.window_start FOR UPDATE OF c;
  -- A new statement, a new snapshot: the lease rows as they are now that the counters are held.
  WITH owned AS (
    UPDATE ledger_leases SET outstanding = GREATEST(ledger_leases.outstanding - u.r, 0), held = u.h
      FROM unnest(p_limits, p_windows, p_back, p_held) AS u(l, w, r, h)
     WHERE ledger_leases.replica_id = p_replica AND ledger_leases.limit_id = u.l AND ledger_leases.window_start = u.w
    RETURNING ledger_leases.limit_id, ledger_leases.window_start, u.r
  ), flushed AS (
    SELECT u.l, u.w, u.a, COALESCE(owned.r, 0) AS r
      FROM unnest(p_limits, p_windows, p_used) AS u(l, w, a)
      LEFT JOIN owned ON owned.limit_id = u.l AND owned.window_start = u.w
  )
  UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - f.r, 0), used = c.used + f.a
    FROM flushed f WHERE c.limit_id = f.l AND c.window_start = f.w;
  DELETE FROM ledger_leases d USING unnest(p_limits, p_windows) AS u(l, w)
   WHERE d.replica_id = p_replica AND d.limit_id = u.l AND d.window_start = u.w
     AND d.outstanding <= 1e-9 AND d.held <= 1e-9;
END
$$;

-- Returns to the counters what replicas whose heartbeat expired more than `p_grace_ms` ago (or that
-- are gone) still owed: `reserved` down by the lease, `used` up by what their calls held at their
-- last flush. Returns how many leases were reclaimed.
CREATE FUNCTION keel_ledger_reclaim(p_grace_ms float8) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_reclaimed integer;
BEGIN
  DELETE FROM ledger_replicas WHERE expires_at < clock_timestamp() - p_grace_ms * interval '1 millisecond';
  PERFORM 1 FROM ledger_counters c
   WHERE EXISTS (SELECT 1 FROM ledger_leases l
                  WHERE l.limit_id = c.limit_id AND l.window_start = c.window_start
                    AND NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = l.replica_id))
   ORDER BY c.limit_id, c.window_start FOR UPDATE OF c;
  WITH gone AS (
    DELETE FROM ledger_leases l
     WHERE NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = l.replica_id)
    RETURNING l.limit_id, l.window_start, l.outstanding, LEAST(l.held, l.outstanding) AS held
  ), owed AS (
    SELECT limit_id, window_start, sum(outstanding) AS outstanding, sum(held) AS held, count(*) AS n
      FROM gone GROUP BY limit_id, window_start
  ), returned AS (
    UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - owed.outstanding, 0), used = c.used + owed.held
      FROM owed WHERE c.limit_id = owed.limit_id AND c.window_start = owed.window_start
    RETURNING owed.n
  )
  SELECT COALESCE(sum(returned.n), 0) INTO v_reclaimed FROM returned;
  RETURN v_reclaimed;
END
$$;
