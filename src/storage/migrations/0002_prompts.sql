-- Prompt Lab: templates with immutable versions and movable labels, prompt sessions (lockable
-- drafts) and the history of every run.
CREATE TABLE prompt_templates (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  title text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  task text,
  -- The newest version; saves compare-and-set it (optimistic concurrency).
  latest_version integer NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
-- A deleted template frees its name.
CREATE UNIQUE INDEX prompt_templates_project_name ON prompt_templates (project_id, name)
  WHERE deleted_at IS NULL;

-- Versions are never updated or deleted: a template's history is append-only.
CREATE TABLE prompt_versions (
  template_id text NOT NULL REFERENCES prompt_templates (id),
  version integer NOT NULL CHECK (version >= 1),
  message text NOT NULL DEFAULT '',
  body jsonb NOT NULL,
  size_bytes integer NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_id, version)
);

CREATE TABLE prompt_labels (
  template_id text NOT NULL REFERENCES prompt_templates (id),
  label text NOT NULL,
  version integer NOT NULL,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_id, label),
  FOREIGN KEY (template_id, version) REFERENCES prompt_versions (template_id, version)
);

CREATE TABLE prompt_sessions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  draft jsonb,
  revision integer NOT NULL DEFAULT 1,
  locked_by text,
  locked_at timestamptz,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX prompt_sessions_project ON prompt_sessions (project_id, updated_at);

-- One row per run: what was sent (the body, the rendered prompt, variables, parameters) and what
-- came back. `search_text` holds the prompt and the output for text search.
CREATE TABLE prompt_runs (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  session_id text REFERENCES prompt_sessions (id),
  template_id text REFERENCES prompt_templates (id),
  template_name text,
  template_version integer,
  source jsonb NOT NULL,
  prompt jsonb NOT NULL,
  variables jsonb NOT NULL,
  parameters jsonb NOT NULL,
  model_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'error')),
  output text NOT NULL DEFAULT '',
  output_json jsonb,
  issues jsonb,
  attempts integer NOT NULL DEFAULT 1,
  structured_output text NOT NULL DEFAULT 'none',
  finish_reason text,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost jsonb,
  latency_ms double precision NOT NULL DEFAULT 0,
  tokens jsonb,
  warnings jsonb NOT NULL DEFAULT '[]',
  error jsonb,
  search_text text NOT NULL DEFAULT '',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Run ids sort by time: the history pages on (project, id).
CREATE INDEX prompt_runs_project ON prompt_runs (project_id, id DESC);
CREATE INDEX prompt_runs_session ON prompt_runs (session_id, created_at DESC);
CREATE INDEX prompt_runs_template ON prompt_runs (template_id, created_at DESC);
