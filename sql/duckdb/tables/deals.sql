-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Deals (opportunities), open and closed: one row per deal.
CREATE OR REPLACE VIEW deals AS
SELECT
  deal_id,
  customer_id,
  created_date,
  closed_date,
  status,
  amount_usd,
  segment,
  product_count,
  customer_maturity,
  delivery_scope,
  qualified,
  registered_date,
  ae_invited,
  services_attached,
  first_value_date,
  via_marketplace,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('deals/*/*.parquet', union_by_name = true);
