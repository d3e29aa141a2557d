-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- One row per run of a job: inputs, configuration, code version, timings and outcome.
CREATE OR REPLACE VIEW runs AS
SELECT
  run_id,
  as_of_date,
  job,
  started_at,
  finished_at,
  duration_ms,
  outcome,
  error,
  code_version,
  config_digest,
  inputs,
  tables_written,
  notes,
  replaced_run_id,
  config
FROM read_parquet('runs/*/*.parquet', union_by_name = true);
