-- Evaluation datasets and runs. A dataset is a named set per project; each distinct content (by
-- hash) is one version with its items. A run evaluates a target over a dataset version (or a
-- sample of it) on the job service; its per-item results are written as each item finishes, so a
-- resumed run skips the items already recorded. Model outputs are cached by (input, configuration)
-- hash, so the same item under the same configuration is generated once.
CREATE TABLE eval_datasets (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  description text,
  latest_version integer NOT NULL DEFAULT 0,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE eval_dataset_versions (
  dataset_id text NOT NULL REFERENCES eval_datasets (id) ON DELETE CASCADE,
  version integer NOT NULL,
  content_hash text NOT NULL,
  format text NOT NULL,
  -- Which source column became which part of an item (input columns, references, label …).
  mapping jsonb NOT NULL,
  -- Per column: name, inferred type, empty count.
  columns jsonb NOT NULL,
  row_count integer NOT NULL,
  -- Rows per split (train/dev/test …), empty when the dataset has no splits.
  splits jsonb NOT NULL DEFAULT '{}',
  message text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset_id, version),
  UNIQUE (dataset_id, content_hash)
);

CREATE TABLE eval_dataset_items (
  dataset_id text NOT NULL,
  version integer NOT NULL,
  ordinal integer NOT NULL,
  split text,
  -- { input: {column: value}, references: string[], label, contexts: string[], metadata: {} }
  item jsonb NOT NULL,
  PRIMARY KEY (dataset_id, version, ordinal),
  FOREIGN KEY (dataset_id, version) REFERENCES eval_dataset_versions (dataset_id, version) ON DELETE CASCADE
);

CREATE TABLE eval_runs (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text,
  job_id text,
  -- { kind: 'template' | 'rag' | 'model' | 'deployment', … }
  target jsonb NOT NULL,
  dataset_id text NOT NULL,
  dataset_version integer NOT NULL,
  -- The item ordinals the run covers (a sample or a split), in order.
  ordinals jsonb NOT NULL,
  metrics jsonb NOT NULL,
  thresholds jsonb NOT NULL DEFAULT '[]',
  options jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  aggregates jsonb,
  -- null until finished; true when every threshold held.
  passed boolean,
  error jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX eval_runs_project ON eval_runs (project_id, created_at DESC);

CREATE TABLE eval_run_items (
  run_id text NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  output text,
  -- { metric: score } for the metrics scored per item.
  scores jsonb NOT NULL DEFAULT '{}',
  error jsonb,
  latency_ms double precision,
  input_tokens integer,
  output_tokens integer,
  cost double precision,
  cached boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, ordinal)
);

CREATE TABLE eval_output_cache (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  key text NOT NULL,
  output jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, key)
);
