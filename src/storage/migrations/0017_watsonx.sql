-- watsonx.ai dialect of Prompt Lab: what watsonx prompt assets and prompt sessions carry that
-- Keel's templates and sessions have no column for. One row per template (kind 'prompt': lock,
-- input mode, chat items, model version …), per session (kind 'session': description) and per
-- session entry (kind 'entry': the saved prompt and its chat items). Templates and sessions
-- themselves stay in prompt_templates and prompt_sessions: one store, two dialects.
CREATE TABLE watsonx_assets (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('prompt', 'session', 'entry')),
  project_id text NOT NULL REFERENCES projects (id),
  -- The session an entry belongs to.
  parent_id text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  locked_by text,
  lock_type text,
  locked_at timestamptz,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX watsonx_assets_parent ON watsonx_assets (parent_id, created_at) WHERE deleted_at IS NULL;
