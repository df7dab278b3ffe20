-- RAG collections: versioned configuration, documents with their source bytes, chunks and their
-- vectors, ingestion jobs, experiments. Search structures (BM25, usearch) are derived from these
-- rows and rebuilt when missing; the rows are the truth.
CREATE TABLE rag_collections (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  description text,
  config jsonb NOT NULL,
  config_version integer NOT NULL DEFAULT 1,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE rag_collection_configs (
  collection_id text NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
  version integer NOT NULL,
  config jsonb NOT NULL,
  message text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection_id, version)
);

-- A document is identified in its collection by name; re-ingesting the same name with other
-- content replaces its chunks, with the same content (same hash) it is left alone.
CREATE TABLE rag_documents (
  id text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
  name text NOT NULL,
  media_type text,
  content_hash text NOT NULL,
  size_bytes integer NOT NULL,
  source bytea NOT NULL,
  -- Bring-your-own chunks, used as given instead of the collection's chunker.
  provided_chunks jsonb,
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
  chunk_count integer NOT NULL DEFAULT 0,
  -- The config version its chunks were made with.
  config_version integer,
  pages integer,
  warnings jsonb NOT NULL DEFAULT '[]',
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (collection_id, name)
);

CREATE TABLE rag_chunks (
  id text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
  document_id text NOT NULL REFERENCES rag_documents (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  text text NOT NULL,
  span_start integer,
  span_end integer,
  pages integer[],
  heading_path text[],
  kind text NOT NULL,
  language text,
  metadata jsonb NOT NULL DEFAULT '{}',
  -- Float32 values of the collection's embedder, little-endian.
  embedding bytea,
  embedder text,
  UNIQUE (document_id, ordinal)
);
CREATE INDEX rag_chunks_collection ON rag_chunks (collection_id);

CREATE TABLE rag_jobs (
  id text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
  project_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ingest', 'reindex')),
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  document_ids text[] NOT NULL,
  total integer NOT NULL,
  done integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  chunks integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX rag_jobs_open ON rag_jobs (status) WHERE status IN ('queued', 'running');

CREATE TABLE rag_experiments (
  id text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
  project_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  request jsonb NOT NULL,
  results jsonb NOT NULL DEFAULT '[]',
  best jsonb,
  error jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
