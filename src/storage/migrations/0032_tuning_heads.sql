-- Trained heads in the database, so that every replica serves what any replica trained. One row per
-- version: its lineage and metrics (`info`, what the head list shows) and its stored form (`content`,
-- the `keel.head.v2` JSON with the weights) with the SHA-256 of that text, checked on every load.
-- A version is immutable apart from `info.governanceAssetId`, set when governance registers it.
-- At most one version per training job: a job resumed after its worker died finds the version it
-- saved instead of saving another. Versions written by earlier releases as files under
-- `<data-dir>/heads/` are imported by the replica that has them when it first opens the store.
CREATE TABLE tuning_heads (
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  version integer NOT NULL,
  info jsonb NOT NULL,
  content text NOT NULL,
  sha256 text NOT NULL,
  job_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, name, version)
);
CREATE UNIQUE INDEX tuning_heads_job ON tuning_heads (project_id, job_id) WHERE job_id IS NOT NULL;
-- Replicas cache each project's list of heads: drop it on any change (storage/core/cache-invalidation).
CREATE TRIGGER tuning_heads_cache_notify AFTER INSERT OR UPDATE OR DELETE ON tuning_heads
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
