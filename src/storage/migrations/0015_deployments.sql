-- Deployment spaces and deployments. A space belongs to a project and has a stage; production
-- spaces serve only what the deployment gate lets through. A deployment lives in one space and
-- serves one of its versions (or a weighted split of two); each version pins an asset version
-- (a prompt template version, or a RAG collection configuration version) with its model,
-- parameters and guardrail policy. Versions are never changed, only added.
CREATE TABLE deployment_spaces (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  stage text NOT NULL CHECK (stage IN ('development', 'staging', 'production', 'other')),
  tags jsonb NOT NULL DEFAULT '[]',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE deployments (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  space_id text NOT NULL REFERENCES deployment_spaces (id),
  name text NOT NULL,
  -- The name inference addresses it by (`/ml/v1/deployments/{serving_name}/…`, `deployment:<serving_name>`).
  serving_name text,
  description text NOT NULL DEFAULT '',
  tags jsonb NOT NULL DEFAULT '[]',
  -- The version that serves, unless a split is set.
  current_version integer NOT NULL,
  -- {"versions":[{"version":1,"weight":90},{"version":2,"weight":10}],"mode":"request_id"|"random"}
  split jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Deleted deployments stay as tombstones (requests by id answer 410 Gone); their serving name is freed.
  deleted_at timestamptz,
  UNIQUE (project_id, serving_name)
);
CREATE INDEX deployments_space ON deployments (space_id);

CREATE TABLE deployment_versions (
  deployment_id text NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  version integer NOT NULL,
  -- {"type":"prompt_template","id":…,"name":…,"version":3} or {"type":"rag_collection","id":…,"name":…,"version":2}
  asset jsonb NOT NULL,
  model text,
  parameters jsonb NOT NULL DEFAULT '{}',
  guardrail_policy text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, version)
);

-- Every replica's deployment directory (resolved on each inference request) follows changes.
CREATE TRIGGER deployment_spaces_cache AFTER INSERT OR UPDATE OR DELETE ON deployment_spaces
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
CREATE TRIGGER deployments_cache AFTER INSERT OR UPDATE OR DELETE ON deployments
  FOR EACH ROW EXECUTE FUNCTION keel_cache_notify('project_id');
