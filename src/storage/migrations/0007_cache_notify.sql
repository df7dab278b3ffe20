-- Cache invalidation across replicas: a change to what the request path keeps in memory (keys,
-- users, memberships, projects, guardrail policies) sends NOTIFY keel_cache '<table>:<key>'
-- when its transaction commits. Every Keel process LISTENs and drops what it cached for <key>.
-- Whichever code writes the row, the caches hear of it. `last_used_at` updates of keys do not.
CREATE FUNCTION keel_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    changed := to_jsonb(OLD);
  ELSE
    changed := to_jsonb(NEW);
  END IF;
  PERFORM pg_notify('keel_cache', TG_TABLE_NAME || ':' || COALESCE(changed ->> TG_ARGV[0], '*'));
  RETURN NULL;
END
$$;

CREATE TRIGGER guardrail_policies_cache AFTER INSERT OR UPDATE OR DELETE ON guardrail_policies
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
CREATE TRIGGER api_keys_cache
  AFTER INSERT OR DELETE OR UPDATE OF revoked_at, expires_at, role, project_id, user_id, org_admin, secret_hash
  ON api_keys FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('id');
CREATE TRIGGER users_cache AFTER DELETE OR UPDATE OF disabled_at, org_admin ON users
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('id');
CREATE TRIGGER memberships_cache AFTER INSERT OR UPDATE OR DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('user_id');
CREATE TRIGGER projects_cache AFTER DELETE OR UPDATE OF deleted_at, organization_id ON projects
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('id');
