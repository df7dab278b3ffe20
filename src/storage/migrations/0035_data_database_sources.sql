-- More kinds of data source: DuckDB and SQLite database files (uploaded or local), each source one
-- table of the file (`source_table`); local folders whose CSV, Parquet or JSON files are read
-- together as one table (`path` ends with a slash); and remote files and Iceberg tables
-- (`origin` 'remote', `path` the URL), read through DuckDB's httpfs and iceberg extensions; and
-- PostgreSQL tables (`format` 'postgres', origin 'remote'), read through `pg` into a Parquet
-- snapshot named by `path` in each replica's data folder, the connection URL sealed in `connection`.
ALTER TABLE data_sources DROP CONSTRAINT data_sources_format_check;
ALTER TABLE data_sources ADD CONSTRAINT data_sources_format_check
  CHECK (format IN ('csv', 'parquet', 'json', 'duckdb', 'sqlite', 'iceberg', 'postgres'));
ALTER TABLE data_sources DROP CONSTRAINT data_sources_origin_check;
ALTER TABLE data_sources ADD CONSTRAINT data_sources_origin_check
  CHECK (origin IN ('upload', 'local', 'remote'));
ALTER TABLE data_sources ADD COLUMN source_table text;
ALTER TABLE data_sources ADD COLUMN connection jsonb;
