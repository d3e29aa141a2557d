-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.decisions` (
  decision_id STRING NOT NULL OPTIONS(description = "Decision identifier, unique."),
  partner_id STRING NOT NULL OPTIONS(description = "Partner the decision is about."),
  kind STRING NOT NULL OPTIONS(description = "tier_override, fund_exception, incentive_exception or exit."),
  decided_date DATE NOT NULL OPTIONS(description = "Date the decision was taken; it is linked to the latest scores on or before it."),
  deciders STRING NOT NULL OPTIONS(description = "Who decided, e.g. \"a.novak; m.okafor\"."),
  context STRING OPTIONS(description = "The context and reasons the deciders gave."),
  decision STRING NOT NULL OPTIONS(description = "What was decided, in words."),
  decided_tier STRING OPTIONS(description = "For a tier override, the tier decided; null otherwise."),
  status STRING NOT NULL OPTIONS(description = "proposed, approved, rejected or withdrawn."),
  review_date DATE OPTIONS(description = "When the decision is to be reviewed against its outcome; null = at the next quarter."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date this load is for."),
  run_id STRING NOT NULL OPTIONS(description = "Run that loaded the row (see the runs table)."),
  source_file STRING NOT NULL OPTIONS(description = "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."),
  source_lines INT64 NOT NULL OPTIONS(description = "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order).")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Decision records: tier overrides, fund and incentive exceptions and exits, one row per decision, with who decided, on what context, and when to review it.", require_partition_filter = TRUE)
