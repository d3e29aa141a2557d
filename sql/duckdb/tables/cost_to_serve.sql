-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Monthly cost to serve each partner, by category.
CREATE OR REPLACE VIEW cost_to_serve AS
SELECT
  partner_id,
  period_start,
  category,
  amount_usd,
  hours,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('cost_to_serve/*/*.parquet', union_by_name = true);
