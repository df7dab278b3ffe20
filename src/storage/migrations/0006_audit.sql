-- The audit log: one append-only, hash-chained table for every change in Keel.
-- hash = SHA-256(prev_hash || canonical JSON of the record); see src/audit/audit-record.ts.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_key_id text,
  actor_user_id text,
  actor_role text,
  project_id text,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  before_digest text,
  after_digest text,
  request_id text,
  detail text,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  signature bytea
);

CREATE INDEX audit_log_project_seq ON audit_log (project_id, seq);
CREATE INDEX audit_log_action_seq ON audit_log (action, seq);
CREATE INDEX audit_log_target_seq ON audit_log (target_type, target_id, seq);
CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);

-- No code path updates or deletes a record; the database refuses it too. Verification does not
-- rely on this (whoever can drop the trigger can edit rows): it recomputes the chain.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
