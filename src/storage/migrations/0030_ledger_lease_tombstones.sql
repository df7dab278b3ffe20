-- A reclaimed lease leaves a tombstone, so that a call settled late on a replica already declared
-- dead is counted once (decision 0044). The reclaim books what the dead replica's calls held as
-- used and keeps it as the tombstone's `credit`; the dead replica's later usage on that counter
-- first uses up that credit, and once all its calls have settled it releases what is left.
--
-- Every statement that changes a lease row still first holds its counter's row lock (in counter
-- order), as in migration 0025.

ALTER TABLE ledger_leases ADD COLUMN credit double precision NOT NULL DEFAULT 0;
ALTER TABLE ledger_leases ADD COLUMN reclaimed_at timestamptz;

-- Writes settled usage and hands allowance back, batched, one row per lease (replica and counter):
-- `back` leaves `reserved` only up to what the lease still owes (a reclaimed lease owes nothing:
-- it was returned already); `used` is booked past what the lease's credit already charged.
-- Answers whether `p_self` (the writing replica) is still alive.
DROP FUNCTION keel_ledger_flush(text, text[], bigint[], float8[], float8[], float8[]);
CREATE FUNCTION keel_ledger_flush(p_self text, p_replicas text[], p_limits text[], p_windows bigint[],
  p_back float8[], p_used float8[], p_held float8[]) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM ledger_counters c
   WHERE (c.limit_id, c.window_start) IN (SELECT * FROM unnest(p_limits, p_windows))
   ORDER BY c.limit_id, c.window_start FOR UPDATE OF c;
  -- A new statement, a new snapshot: the lease rows as they are now that the counters are held.
  WITH u AS (
    SELECT * FROM unnest(p_replicas, p_limits, p_windows, p_back, p_used, p_held) AS u(rid, l, w, r, a, h)
  ), prior AS (
    SELECT u.rid, u.l, u.w, u.r, u.a, u.h, d.outstanding, d.credit
      FROM u LEFT JOIN ledger_leases d ON d.replica_id = u.rid AND d.limit_id = u.l AND d.window_start = u.w
  ), leased AS (
    UPDATE ledger_leases d SET outstanding = GREATEST(p.outstanding - p.r, 0), held = p.h,
           credit = p.credit - LEAST(p.a, p.credit)
      FROM prior p
     WHERE p.outstanding IS NOT NULL AND d.replica_id = p.rid AND d.limit_id = p.l AND d.window_start = p.w
  ), effect AS (
    SELECT l, w, sum(LEAST(r, COALESCE(outstanding, 0))) AS back, sum(a - LEAST(a, COALESCE(credit, 0))) AS used
      FROM prior GROUP BY l, w
  )
  UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - e.back, 0), used = c.used + e.used
    FROM effect e WHERE c.limit_id = e.l AND c.window_start = e.w;
  DELETE FROM ledger_leases d USING unnest(p_replicas, p_limits, p_windows) AS u(rid, l, w)
   WHERE d.replica_id = u.rid AND d.limit_id = u.l AND d.window_start = u.w
     AND d.outstanding <= 1e-9 AND d.held <= 1e-9 AND d.credit <= 1e-9;
  RETURN EXISTS (SELECT 1 FROM ledger_replicas WHERE id = p_self);
END
$$;

-- Returns to the counters what replicas whose heartbeat expired more than `p_grace_ms` ago (or that
-- are gone) still owed: `reserved` down by the lease, `used` up by what their calls held at their
-- last flush beyond what an earlier reclaim charged (kept as the tombstone's credit). Tombstones
-- with nothing left to absorb, or older than `p_keep_ms`, go. Returns how many leases were reclaimed.
DROP FUNCTION keel_ledger_reclaim(float8);
CREATE FUNCTION keel_ledger_reclaim(p_grace_ms float8, p_keep_ms float8) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_reclaimed integer;
BEGIN
  DELETE FROM ledger_replicas WHERE expires_at < clock_timestamp() - p_grace_ms * interval '1 millisecond';
  PERFORM 1 FROM ledger_counters c
   WHERE EXISTS (SELECT 1 FROM ledger_leases l
                  WHERE l.limit_id = c.limit_id AND l.window_start = c.window_start
                    AND NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = l.replica_id)
                    AND (l.reclaimed_at IS NULL OR l.outstanding > 0 OR l.held > l.credit
                         OR l.credit <= 1e-9
                         OR l.reclaimed_at < clock_timestamp() - p_keep_ms * interval '1 millisecond'))
   ORDER BY c.limit_id, c.window_start FOR UPDATE OF c;
  WITH prior AS (
    SELECT l.replica_id, l.limit_id, l.window_start, l.outstanding,
           GREATEST(LEAST(l.held, l.outstanding) - l.credit, 0) AS charge
      FROM ledger_leases l
     WHERE NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = l.replica_id)
       AND (l.reclaimed_at IS NULL OR l.outstanding > 0 OR l.held > l.credit)
  ), marked AS (
    UPDATE ledger_leases l SET outstanding = 0, held = 0, credit = l.credit + p.charge,
           reclaimed_at = clock_timestamp()
      FROM prior p
     WHERE l.replica_id = p.replica_id AND l.limit_id = p.limit_id AND l.window_start = p.window_start
  ), owed AS (
    SELECT limit_id, window_start, sum(outstanding) AS outstanding, sum(charge) AS charge, count(*) AS n
      FROM prior GROUP BY limit_id, window_start
  ), returned AS (
    UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - owed.outstanding, 0), used = c.used + owed.charge
      FROM owed WHERE c.limit_id = owed.limit_id AND c.window_start = owed.window_start
    RETURNING owed.n
  )
  SELECT COALESCE(sum(returned.n), 0) INTO v_reclaimed FROM returned;
  DELETE FROM ledger_leases l
   WHERE NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = l.replica_id)
     AND l.reclaimed_at IS NOT NULL AND l.outstanding <= 1e-9 AND l.held <= l.credit
     AND (l.credit <= 1e-9 OR l.reclaimed_at < clock_timestamp() - p_keep_ms * interval '1 millisecond');
  RETURN v_reclaimed;
END
$$;

-- A replica declared dead whose calls under that id have all settled (and were flushed) gives back
-- what the reclaim charged beyond what they used, and any lease it took under that id afterwards.
CREATE FUNCTION keel_ledger_release(p_replica text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM ledger_counters c
   WHERE EXISTS (SELECT 1 FROM ledger_leases l
                  WHERE l.replica_id = p_replica AND l.limit_id = c.limit_id AND l.window_start = c.window_start)
   ORDER BY c.limit_id, c.window_start FOR UPDATE OF c;
  WITH gone AS (
    DELETE FROM ledger_leases l
     WHERE l.replica_id = p_replica AND NOT EXISTS (SELECT 1 FROM ledger_replicas r WHERE r.id = p_replica)
    RETURNING l.limit_id, l.window_start, l.outstanding, l.credit
  )
  UPDATE ledger_counters c SET reserved = GREATEST(c.reserved - g.outstanding, 0), used = GREATEST(c.used - g.credit, 0)
    FROM gone g WHERE c.limit_id = g.limit_id AND c.window_start = g.window_start;
END
$$;
