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
