-- Text extractions (watsonx.ai's /ml/v1/text/extractions): one row per request, run by a job on
-- the job service. The document and the result are files in the project's file folder, named by
-- watsonx-shaped references. A deleted extraction keeps its row (deleted_at) for the audit trail.
CREATE TABLE text_extractions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  job_id text NOT NULL,
  document_reference jsonb NOT NULL,
  results_reference jsonb NOT NULL,
  -- 'markdown' or 'json'
  output_format text NOT NULL CHECK (output_format IN ('markdown', 'json')),
  -- The request's steps / assembly options as given (echoed back).
  request jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX text_extractions_project ON text_extractions (project_id, created_at DESC);
