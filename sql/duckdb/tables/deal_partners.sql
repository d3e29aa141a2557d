-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Partners involved in a deal and their role; a deal with no row here is direct.
CREATE OR REPLACE VIEW deal_partners AS
SELECT
  deal_id,
  partner_id,
  role,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('deal_partners/*/*.parquet', union_by_name = true);
