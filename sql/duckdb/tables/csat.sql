-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Customer satisfaction survey responses about partners.
CREATE OR REPLACE VIEW csat AS
SELECT
  response_id,
  partner_id,
  customer_id,
  deal_id,
  responded_date,
  score,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('csat/*/*.parquet', union_by_name = true);
