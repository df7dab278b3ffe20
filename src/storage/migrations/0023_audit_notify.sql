-- The governance change feed follows audit_log. Each statement that appends to it sends
-- NOTIFY keel_audit when its transaction commits, so an idle feed (which polls less and less
-- often) passes again at once, on every replica. One notification per statement, not per row.
CREATE FUNCTION keel_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_audit', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_notify();
