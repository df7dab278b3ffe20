-- Join keys between a project's data tables: proposed by discovery (name similarity, type and
-- value containment, with the evidence) or accepted/rejected by a person. A new discovery run
-- refreshes the score and evidence of a pair and keeps the decision; a pair still only proposed
-- that is no longer found is dropped.
CREATE TABLE data_join_keys (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  from_table text NOT NULL,
  from_column text NOT NULL,
  to_table text NOT NULL,
  to_column text NOT NULL,
  score double precision NOT NULL,
  -- {"nameSimilarity", "nameRule", "typeFamily", "containment", "fromDistinct", "toDistinct", "sampled"}
  evidence jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, from_table, from_column, to_table, to_column)
);

-- Rows of a data table as a RAG source: which collection takes which table's rows, which columns
-- make each row's text and which its metadata, and the column naming each row's document. Re-synced
-- on demand; every masking policy applies to the rows read (a collection's readers are any role).
CREATE TABLE data_rag_sources (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  collection_id text NOT NULL,
  table_name text NOT NULL,
  text_columns jsonb NOT NULL,
  metadata_columns jsonb NOT NULL DEFAULT '[]',
  id_column text,
  max_rows integer NOT NULL,
  last_synced_at timestamptz,
  last_result jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, collection_id, table_name)
);
