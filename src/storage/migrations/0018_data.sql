-- Data sources of a project: files uploaded into the project's data directory (or, where the
-- configuration allows, local paths), each exposed as one table of the project's embedded DuckDB
-- engine. Descriptions of the table and of its columns are edited by people.
CREATE TABLE data_sources (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  -- The table name queries use (an SQL identifier, unique in the project).
  name text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'parquet', 'json')),
  -- 'upload': a file under the project's data directory; 'local': an allowed local path.
  origin text NOT NULL CHECK (origin IN ('upload', 'local')),
  path text NOT NULL,
  size_bytes bigint NOT NULL DEFAULT 0,
  description text NOT NULL DEFAULT '',
  -- {"column name": "description", ...}
  column_descriptions jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);
