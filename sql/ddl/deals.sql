-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.deals` (
  deal_id STRING NOT NULL OPTIONS(description = "Deal identifier, unique."),
  customer_id STRING NOT NULL OPTIONS(description = "Customer the deal is with."),
  created_date DATE NOT NULL OPTIONS(description = "Date the deal was created."),
  closed_date DATE OPTIONS(description = "Date the deal closed; null while open."),
  status STRING NOT NULL OPTIONS(description = "open, won or lost."),
  amount_usd NUMERIC(18, 2) OPTIONS(description = "Deal amount in USD."),
  segment STRING OPTIONS(description = "Customer segment."),
  product_count INT64 OPTIONS(description = "Number of products in the deal."),
  customer_maturity STRING OPTIONS(description = "The customer's readiness."),
  delivery_scope STRING OPTIONS(description = "Scope of delivery work."),
  qualified BOOL OPTIONS(description = "The lead passed qualification."),
  registered_date DATE OPTIONS(description = "Deal registration date."),
  ae_invited BOOL OPTIONS(description = "An account executive pulled a partner in."),
  services_attached BOOL OPTIONS(description = "Partner services attached to the deal."),
  first_value_date DATE OPTIONS(description = "Customer's first measured value."),
  via_marketplace BOOL OPTIONS(description = "Transacted through a marketplace."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date this load is for."),
  run_id STRING NOT NULL OPTIONS(description = "Run that loaded the row (see the runs table)."),
  source_file STRING NOT NULL OPTIONS(description = "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."),
  source_lines INT64 NOT NULL OPTIONS(description = "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order).")
)
PARTITION BY as_of_date
CLUSTER BY deal_id
OPTIONS(description = "Deals (opportunities), open and closed: one row per deal.", require_partition_filter = TRUE)
