-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.applications` (
  applicant_id STRING NOT NULL OPTIONS(description = "Prospective partner assessed (not yet a partner: no reference to partners)."),
  applicant_name STRING OPTIONS(description = "The applicant's name."),
  assessed_date DATE NOT NULL OPTIONS(description = "Date of the assessment; one applicant assessed twice has two applications."),
  assessor STRING OPTIONS(description = "Who assessed the application."),
  criterion STRING NOT NULL OPTIONS(description = "Rubric criterion, as named in the configuration's intake.criteria (e.g. market_alignment)."),
  score INT64 OPTIONS(description = "0 (warning sign) to 3 (good sign); null when not yet assessed (the application is then incomplete)."),
  evidence_note STRING OPTIONS(description = "The evidence behind the score, in the assessor's words."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date this load is for."),
  run_id STRING NOT NULL OPTIONS(description = "Run that loaded the row (see the runs table)."),
  source_file STRING NOT NULL OPTIONS(description = "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."),
  source_lines INT64 NOT NULL OPTIONS(description = "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order).")
)
PARTITION BY as_of_date
CLUSTER BY applicant_id, assessed_date, criterion
OPTIONS(description = "Qualification assessments of prospective partners against the intake rubric: one row per application and criterion, scored 0 (warning sign) to 3 (good sign), as a partner team's assessment form or CRM exports them.", require_partition_filter = TRUE)
