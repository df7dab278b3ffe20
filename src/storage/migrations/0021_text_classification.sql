-- watsonx.ai text classifications (/ml/v1/text/classifications): one row per request, its job on
-- the job service, the taxonomy (schemas) and the classifier it asked for. Results live on the job.
CREATE TABLE text_classifications (
  id                 text PRIMARY KEY,
  project_id         text NOT NULL REFERENCES projects (id),
  job_id             text NOT NULL,
  document_reference jsonb NOT NULL,
  parameters         jsonb NOT NULL,
  custom             jsonb,
  classifier         text NOT NULL,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz
);
CREATE INDEX text_classifications_project ON text_classifications (project_id, created_at DESC);
