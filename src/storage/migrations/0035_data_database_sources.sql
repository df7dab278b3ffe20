-- More kinds of data source: DuckDB and SQLite database files (uploaded or local), each source one
-- table of the file (`source_table`), and local folders whose CSV, Parquet or JSON files are read
-- together as one table (`path` ends with a slash).
ALTER TABLE data_sources DROP CONSTRAINT data_sources_format_check;
ALTER TABLE data_sources ADD CONSTRAINT data_sources_format_check
  CHECK (format IN ('csv', 'parquet', 'json', 'duckdb', 'sqlite'));
ALTER TABLE data_sources ADD COLUMN source_table text;
