-- Organisations, projects, users, memberships and API keys.
CREATE TABLE organizations (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  UNIQUE (organization_id, name)
);

CREATE TABLE users (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  email text NOT NULL UNIQUE,
  display_name text NOT NULL DEFAULT '',
  password_hash text,
  org_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE memberships (
  user_id text NOT NULL REFERENCES users (id),
  project_id text NOT NULL REFERENCES projects (id),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'validator', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, project_id)
);

-- API keys and sign-in sessions. Only a SHA-256 of the secret is kept.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  project_id text NOT NULL REFERENCES projects (id),
  user_id text REFERENCES users (id),
  kind text NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session')),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'validator', 'viewer')),
  -- Organisation-wide administration (bootstrap keys): may create projects and see them all.
  org_admin boolean NOT NULL DEFAULT false,
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_keys_project ON api_keys (project_id);

-- One row per model call: written in batches by the usage meter.
CREATE TABLE usage_events (
  -- A sequence, not a random id: rows arrive thousands a second and append to the index.
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id text NOT NULL,
  key_id text,
  model_id text NOT NULL,
  endpoint text NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  latency_ms double precision NOT NULL DEFAULT 0,
  status integer NOT NULL,
  error_code text,
  streamed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_events_project_time ON usage_events (project_id, created_at);

-- Small facts about this installation (bootstrap state, schema facts).
CREATE TABLE installation (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
