-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Customer contracts and their churn: one row per contract; partner_id null = direct customer.
CREATE OR REPLACE VIEW churn AS
SELECT
  customer_id,
  partner_id,
  contract_start_date,
  churn_date,
  arr_usd,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('churn/*/*.parquet', union_by_name = true);
