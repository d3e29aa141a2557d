-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.attribution` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date the scores are for."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that computed the row (see the runs table)."),
  deal_id STRING NOT NULL OPTIONS(description = "Deal credited."),
  partner_id STRING NOT NULL OPTIONS(description = "Partner receiving credit."),
  roles STRING NOT NULL OPTIONS(description = "The partner's roles on the deal, comma-separated in the order sourced, influenced, co_sell, delivery."),
  partners_on_deal INT64 NOT NULL OPTIONS(description = "Distinct partners on the deal."),
  status STRING NOT NULL OPTIONS(description = "Deal status: open, won or lost."),
  created_date DATE NOT NULL OPTIONS(description = "Date the deal was created."),
  closed_date DATE OPTIONS(description = "Date the deal closed; null while open."),
  amount_usd NUMERIC(18, 2) OPTIONS(description = "Deal amount in USD (the whole deal); null when the deal has no amount."),
  sourced_only_share FLOAT64 NOT NULL OPTIONS(description = "Share under sourced_only: the sourcing partners split the deal equally (the leading role when nobody sourced it)."),
  sourced_only_usd NUMERIC(18, 2) OPTIONS(description = "amount_usd x sourced_only share, in cents rounded by largest remainder so a deal's credits sum exactly to its amount."),
  equal_split_share FLOAT64 NOT NULL OPTIONS(description = "Share under equal_split: 1 / partners_on_deal."),
  equal_split_usd NUMERIC(18, 2) OPTIONS(description = "amount_usd x equal_split share (largest-remainder cents)."),
  role_weighted_share FLOAT64 NOT NULL OPTIONS(description = "Share under role_weighted: the partner's role weight over the deal's total (weights in configuration)."),
  role_weighted_usd NUMERIC(18, 2) OPTIONS(description = "amount_usd x role_weighted share (largest-remainder cents)."),
  shapley_share FLOAT64 NOT NULL OPTIONS(description = "Shapley value of the partner in the deal's role-capability game (value = strongest role weight present)."),
  shapley_usd NUMERIC(18, 2) OPTIONS(description = "amount_usd x shapley share (largest-remainder cents)."),
  primary_60_40_share FLOAT64 NOT NULL OPTIONS(description = "Share under primary_60_40: the primary partner (the leading role, as in sourced_only) takes the configured primary share (default 0.6) and the other partners split the rest equally; 1 / partners_on_deal when every partner holds the leading role."),
  primary_60_40_usd NUMERIC(18, 2) OPTIONS(description = "amount_usd x primary_60_40 share (largest-remainder cents).")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Credit for every partnered deal among its partners under five models side by side; per model a deal's shares sum to 1 and its credited amounts to its amount. Direct deals have no rows.", require_partition_filter = TRUE)
