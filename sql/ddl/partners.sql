-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.partners` (
  partner_id STRING NOT NULL OPTIONS(description = "Partner identifier, unique."),
  partner_name STRING NOT NULL OPTIONS(description = "Partner's name, any Unicode."),
  partner_type STRING OPTIONS(description = "Kind of partner."),
  program_tier STRING OPTIONS(description = "Current program tier."),
  region STRING OPTIONS(description = "Sales region, e.g. NA, EMEA, APAC, LATAM."),
  vertical STRING OPTIONS(description = "Primary vertical, e.g. healthcare."),
  capability STRING OPTIONS(description = "Main capability."),
  joined_date DATE OPTIONS(description = "Date the partner joined the program; when the export has none, ingest derives it from the partner's first deal (joined_date_source says which)."),
  certified_staff INT64 OPTIONS(description = "Staff holding a current certification."),
  total_staff INT64 OPTIONS(description = "Total staff."),
  case_studies INT64 OPTIONS(description = "Published case studies."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date this load is for."),
  run_id STRING NOT NULL OPTIONS(description = "Run that loaded the row (see the runs table)."),
  source_file STRING NOT NULL OPTIONS(description = "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."),
  source_lines INT64 NOT NULL OPTIONS(description = "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order)."),
  joined_date_source STRING OPTIONS(description = "Where joined_date comes from: export, or first_deal (the export had none: the created_date of the partner's earliest deal, any role); null when neither exists.")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Partners in the program: one row per partner.", require_partition_filter = TRUE)
