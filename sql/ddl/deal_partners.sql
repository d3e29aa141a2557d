-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.deal_partners` (
  deal_id STRING NOT NULL OPTIONS(description = "Deal the partner worked on."),
  partner_id STRING NOT NULL OPTIONS(description = "Partner involved."),
  role STRING NOT NULL OPTIONS(description = "sourced, influenced, co_sell or delivery."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date this load is for."),
  run_id STRING NOT NULL OPTIONS(description = "Run that loaded the row (see the runs table)."),
  source_file STRING NOT NULL OPTIONS(description = "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."),
  source_lines INT64 NOT NULL OPTIONS(description = "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order).")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Partners involved in a deal and their role; a deal with no row here is direct.", require_partition_filter = TRUE)
