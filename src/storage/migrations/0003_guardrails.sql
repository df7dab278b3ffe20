-- Guardrail policies, the decisions they made, and sealed pseudonym mappings.
CREATE TABLE guardrail_policies (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  body jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

-- One row per span a policy acted on. Only a keyed hash of the span is kept, never its text.
CREATE TABLE guardrail_decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id text NOT NULL,
  key_id text,
  request_id text,
  source text NOT NULL,
  policy text,
  direction text NOT NULL CHECK (direction IN ('input', 'output')),
  detector text NOT NULL,
  detector_version text NOT NULL,
  entity_type text NOT NULL,
  score real NOT NULL,
  action text NOT NULL CHECK (action IN ('block', 'mask', 'pseudonymise', 'flag')),
  span_start integer NOT NULL,
  span_end integer NOT NULL,
  span_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guardrail_decisions_project_time ON guardrail_decisions (project_id, created_at);

-- Placeholder → value maps of pseudonymised requests, AES-256-GCM sealed with the server key.
CREATE TABLE guardrail_pseudonym_maps (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  key_id text,
  iv text NOT NULL,
  tag text NOT NULL,
  ciphertext text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX guardrail_pseudonym_maps_expiry ON guardrail_pseudonym_maps (expires_at);
