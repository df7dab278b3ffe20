-- Training-spec exports (tuning.export jobs): one row per request, its job on the job service, the
-- request, and the watsonx.ai resource it answers as (`keel` from /api/v1/tuning/jobs, `training`
-- from /ml/v4/trainings, `fine_tuning` from /ml/v1/fine_tunings). The spec files live in the
-- project's files; the outcome (manifest, skipped records) on the job. A delete hides the row.
CREATE TABLE tuning_exports (
  id          text PRIMARY KEY,
  project_id  text NOT NULL REFERENCES projects (id),
  job_id      text NOT NULL,
  origin      text NOT NULL CHECK (origin IN ('keel', 'training', 'fine_tuning')),
  name        text NOT NULL,
  request     jsonb NOT NULL,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX tuning_exports_project ON tuning_exports (project_id, origin, created_at DESC);
