-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Input rows that broke a contract rule: kept, not loaded, with the reason.
CREATE OR REPLACE VIEW quarantine AS
SELECT
  as_of_date,
  run_id,
  source,
  file,
  source_row,
  column_name,
  value,
  reason,
  record,
  reason_code
FROM read_parquet('quarantine/*/*.parquet', union_by_name = true);
