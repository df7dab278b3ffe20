-- One ledger for limits and budgets, and the monitors, alerts and incidents that watch traffic.
--
-- A key may be scoped to deployments: NULL serves everything its role allows, a list serves only
-- those deployments (and no plain model route). Changing the scope drops cached principals.
ALTER TABLE api_keys ADD COLUMN deployment_scope text[];
DROP TRIGGER api_keys_cache ON api_keys;
CREATE TRIGGER api_keys_cache
  AFTER INSERT OR DELETE OR UPDATE OF revoked_at, expires_at, role, project_id, user_id, org_admin, secret_hash, deployment_scope
  ON api_keys FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('id');

-- A limit on one scope (a project, an API key or a deployment). Rates count per minute; budgets
-- per period ('day', 'month' or 'total').
CREATE TABLE ledger_limits (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  scope_type text NOT NULL CHECK (scope_type IN ('project', 'key', 'deployment')),
  scope_id text NOT NULL,
  metric text NOT NULL CHECK (metric IN ('requests_per_minute', 'tokens_per_minute', 'token_budget', 'cost_budget')),
  limit_value double precision NOT NULL CHECK (limit_value >= 0),
  period text NOT NULL DEFAULT 'minute' CHECK (period IN ('minute', 'day', 'month', 'total')),
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scope_type, scope_id, metric)
);
CREATE INDEX ledger_limits_project ON ledger_limits (project_id);
CREATE TRIGGER ledger_limits_cache AFTER INSERT OR UPDATE OR DELETE ON ledger_limits
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('scope_id');

-- What each limit has used and holds reserved in one window (window_start: epoch seconds of the
-- minute, day or month; 0 for a total budget). A request reserves with one conditional upsert
-- (used + reserved + amount <= cap) and settles after the call: reserved down, used up.
CREATE TABLE ledger_counters (
  limit_id text NOT NULL REFERENCES ledger_limits (id) ON DELETE CASCADE,
  window_start bigint NOT NULL,
  cap double precision NOT NULL,
  used double precision NOT NULL DEFAULT 0,
  reserved double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (limit_id, window_start)
);

-- The monitoring request log: one row per sampled model call (every call at rate 1), with its
-- outcome and the features drift and fairness read — never the text itself.
CREATE TABLE monitor_samples (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id text NOT NULL,
  deployment_id text,
  key_id text,
  request_id text,
  model_id text NOT NULL,
  endpoint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sample_rate double precision NOT NULL DEFAULT 1,
  status integer NOT NULL,
  latency_ms double precision NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost double precision NOT NULL DEFAULT 0,
  input_chars integer NOT NULL,
  output_chars integer NOT NULL,
  language text NOT NULL,
  refused boolean NOT NULL DEFAULT false,
  embedding real[],
  output_label text,
  attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX monitor_samples_scope ON monitor_samples (project_id, created_at);

CREATE TABLE monitors (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  deployment_id text,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('traffic', 'guardrails', 'drift', 'fairness')),
  config jsonb NOT NULL DEFAULT '{}',
  thresholds jsonb NOT NULL DEFAULT '[]',
  interval_seconds integer NOT NULL DEFAULT 300,
  webhook_url text,
  webhook_secret text,
  enabled boolean NOT NULL DEFAULT true,
  last_run_at timestamptz,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE monitor_results (
  id text PRIMARY KEY,
  monitor_id text NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  project_id text NOT NULL,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  metrics jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitor_results_monitor ON monitor_results (monitor_id, created_at);

CREATE TABLE incidents (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  monitor_id text,
  deployment_id text,
  title text NOT NULL,
  severity text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  notes jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  resolved_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_project ON incidents (project_id, status);

CREATE TABLE alerts (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  monitor_id text NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  incident_id text REFERENCES incidents (id),
  metric text NOT NULL,
  value double precision NOT NULL,
  operator text NOT NULL,
  threshold double precision NOT NULL,
  severity text NOT NULL,
  delivery text NOT NULL DEFAULT 'none' CHECK (delivery IN ('none', 'pending', 'delivered', 'failed')),
  delivery_attempts integer NOT NULL DEFAULT 0,
  delivery_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_project ON alerts (project_id, created_at);
