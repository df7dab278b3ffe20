-- Column tags and masking policies of a project's data tables. A tag marks a column (`pii`,
-- `sensitive` or a custom word); a policy says how a tagged column (or one named column) is masked
-- for callers of a role: hash, partial, null or redact. Policies are applied to every query path
-- by rewriting the query's projection after it is parsed.
CREATE TABLE data_column_tags (
  project_id text NOT NULL REFERENCES projects (id),
  table_name text NOT NULL,
  column_name text NOT NULL,
  tag text NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, table_name, column_name, tag)
);

CREATE TABLE data_masking_policies (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  -- What the policy masks: every column carrying `tag`, or one column (`table_name`.`column_name`).
  tag text,
  table_name text,
  column_name text,
  method text NOT NULL CHECK (method IN ('hash', 'partial', 'null', 'redact')),
  -- Roles the mask applies to; roles not listed see the value as it is.
  roles jsonb NOT NULL DEFAULT '[]',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((tag IS NOT NULL) OR (table_name IS NOT NULL AND column_name IS NOT NULL))
);
CREATE INDEX data_masking_policies_project ON data_masking_policies (project_id);
