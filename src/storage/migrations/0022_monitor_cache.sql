-- The request log asks, on every model call, whether the calling project watches its plain model
-- traffic with a monitor. The answer is cached per project; a change to a project's monitors
-- drops it on every replica (the cache-invalidation channel of migration 0007).
CREATE TRIGGER monitors_cache AFTER INSERT OR DELETE OR UPDATE OF enabled, deployment_id, project_id ON monitors
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
