-- One job queue for every module: a job is a row claimed with a lease (FOR UPDATE SKIP LOCKED),
-- kept alive by heartbeats, retried with backoff, and resumed by any replica once its lease
-- expires. Modules add job kinds (rag.ingest, rag.experiment, models.pull …), not runners.
CREATE TABLE jobs (
  id text PRIMARY KEY,
  -- No foreign key: a job outlives nothing it points to, and org-wide jobs name the project
  -- that asked for them.
  project_id text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- bigint: a model download counts bytes.
  progress_done bigint NOT NULL DEFAULT 0,
  progress_total bigint,
  progress_message text,
  -- Counters a kind keeps with its progress (e.g. documents failed, chunks written).
  progress_data jsonb NOT NULL DEFAULT '{}',
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  -- Not claimed before this time (retry backoff).
  run_after timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  cancel_requested boolean NOT NULL DEFAULT false,
  result jsonb,
  -- { code, message } of the last failure (kept on a retried job until it succeeds).
  error jsonb,
  idempotency_key text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (project_id, kind, idempotency_key)
);
-- What a worker looks at when it claims: open jobs by due time.
CREATE INDEX jobs_open ON jobs (run_after, created_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_project ON jobs (project_id, kind, created_at DESC);

-- Steps and items of a job: a completed step is not run again after a resume; a failed item is
-- recorded once and the job goes on.
CREATE TABLE job_steps (
  job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  key text NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  -- A human name for the item (a document name), for failure lists.
  label text,
  output jsonb,
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, key)
);

-- Lifecycle of a job (claimed, retried, lease lost, cancel asked, finished), for its event stream.
CREATE TABLE job_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  type text NOT NULL,
  message text,
  data jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- The RAG tables this queue replaces. Their rows move over: ingestion jobs keep their ids,
-- progress and per-document errors; experiments keep their leaderboard, and one that was running
-- (its runner lived only in the old process's memory) is queued to run again.
INSERT INTO jobs (id, project_id, kind, payload, status, progress_done, progress_total, progress_data,
                  attempts, result, error, created_by, created_at, updated_at, started_at, finished_at)
SELECT j.id, j.project_id, 'rag.ingest',
       jsonb_build_object('collection_id', j.collection_id, 'document_ids', to_jsonb(j.document_ids), 'mode', j.kind),
       j.status, j.done + j.failed, j.total,
       jsonb_build_object('succeeded', j.done, 'failed', j.failed, 'chunks', j.chunks),
       CASE WHEN j.status = 'queued' THEN 0 ELSE 1 END,
       NULL, NULL, j.created_by, j.created_at, coalesce(j.finished_at, j.started_at, j.created_at),
       j.started_at, j.finished_at
  FROM rag_jobs j;
INSERT INTO job_steps (job_id, key, status, label, error)
SELECT j.id, 'document:' || x.ord, 'failed', x.e ->> 'document',
       jsonb_build_object('code', x.e ->> 'code', 'message', x.e ->> 'message')
  FROM rag_jobs j, jsonb_array_elements(j.errors) WITH ORDINALITY AS x (e, ord);

INSERT INTO jobs (id, project_id, kind, payload, status, attempts, result, error, created_by,
                  created_at, updated_at, finished_at)
SELECT e.id, e.project_id, 'rag.experiment',
       jsonb_build_object('collection_id', e.collection_id, 'request', e.request),
       CASE WHEN e.status = 'running' THEN 'queued' ELSE e.status END,
       0,
       CASE WHEN e.status = 'succeeded' THEN jsonb_build_object('results', e.results, 'best', e.best) END,
       e.error, e.created_by, e.created_at, coalesce(e.finished_at, e.created_at), e.finished_at
  FROM rag_experiments e;

DROP TABLE rag_jobs;
DROP TABLE rag_experiments;
