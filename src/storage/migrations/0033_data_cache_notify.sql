-- Every replica keeps each project's data engine (its sources) and masking snapshot (column tags
-- and masking policies) in memory: a change committed on any replica notifies the others
-- (storage/core/cache-invalidation), so a masking policy saved on one is applied by all at once
-- and a table added on one is queryable on all. Editing a table's descriptions does not touch
-- its engine.
CREATE TRIGGER data_sources_cache_notify AFTER INSERT OR DELETE OR UPDATE OF name, path, format ON data_sources
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
CREATE TRIGGER data_column_tags_cache_notify AFTER INSERT OR UPDATE OR DELETE ON data_column_tags
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
CREATE TRIGGER data_masking_policies_cache_notify AFTER INSERT OR UPDATE OR DELETE ON data_masking_policies
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
