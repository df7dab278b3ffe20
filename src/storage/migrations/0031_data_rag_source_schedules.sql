-- Data RAG sources, second part: a source reads a table or a query's result, each row becomes a
-- document through a template (`{{column}}` placeholders) or the text columns, and a source may be
-- refreshed on a schedule ({"every_seconds": n} or {"cron": "m h dom mon dow"}, UTC). A scheduled
-- sync is a job (`data.rag_source.sync`) enqueued for `next_sync_at` under an idempotency key naming
-- the source and that time, so it is enqueued once and run by one replica under the job lease. Each
-- sync's outcome (or its error) is kept on the source.
ALTER TABLE data_rag_sources ADD COLUMN query text;
ALTER TABLE data_rag_sources ADD COLUMN template text;
ALTER TABLE data_rag_sources ADD COLUMN schedule jsonb;
ALTER TABLE data_rag_sources ADD COLUMN next_sync_at timestamptz;
ALTER TABLE data_rag_sources ADD COLUMN last_error jsonb;
ALTER TABLE data_rag_sources ADD COLUMN last_attempt_at timestamptz;
