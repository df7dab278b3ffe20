-- Discovery: descriptions of a table and its columns drafted by a model wait here for a person's
-- review: {"description", "columns": {name: text}, "model", "language", "drafted_at", "drafted_by"}.
-- Accepting one writes the reviewed texts to `description` / `column_descriptions` and clears it.
ALTER TABLE data_sources ADD COLUMN description_draft jsonb;
