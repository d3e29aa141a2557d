-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Credit for every partnered deal among its partners under five models side by side; per model a deal's shares sum to 1 and its credited amounts to its amount. Direct deals have no rows.
CREATE OR REPLACE VIEW attribution AS
SELECT
  as_of_date,
  run_id,
  deal_id,
  partner_id,
  roles,
  partners_on_deal,
  status,
  created_date,
  closed_date,
  amount_usd,
  sourced_only_share,
  sourced_only_usd,
  equal_split_share,
  equal_split_usd,
  role_weighted_share,
  role_weighted_usd,
  shapley_share,
  shapley_usd,
  primary_60_40_share,
  primary_60_40_usd
FROM read_parquet('attribution/*/*.parquet', union_by_name = true);
