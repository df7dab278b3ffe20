-- LoRA adapters registered for a llama.cpp base model: one row per version, naming a GGUF file under
-- `<data-dir>/adapters/<project>/<name>/v<N>.gguf` with its SHA-256 (checked before each load) and
-- the base model's file hash at registration. The file is written before the row and removed again
-- when the row cannot be inserted, so a failed registration leaves neither.
CREATE TABLE tuning_adapters (
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  version integer NOT NULL,
  base_model text NOT NULL,
  base_sha256 text NOT NULL,
  architecture text NOT NULL,
  sha256 text NOT NULL,
  size_bytes bigint NOT NULL,
  scale double precision NOT NULL DEFAULT 1,
  -- {"alpha", "rank", "tensors", "targets"} read from the file
  header jsonb NOT NULL,
  -- what the person registering it supplied: {"hyperParameters", "dataset", "source"}
  lineage jsonb NOT NULL DEFAULT '{}',
  governance_asset_id text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, name, version)
);
