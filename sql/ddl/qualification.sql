-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.qualification` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date scored."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that wrote the row."),
  applicant_id STRING NOT NULL OPTIONS(description = "Prospective partner assessed."),
  applicant_name STRING OPTIONS(description = "The applicant's name (first non-empty of its rows)."),
  assessed_date DATE NOT NULL OPTIONS(description = "Date of the assessment."),
  assessor STRING OPTIONS(description = "Who assessed it (first non-empty of its rows)."),
  total INT64 NOT NULL OPTIONS(description = "Sum over the scored criteria of score x weight."),
  maximum INT64 NOT NULL OPTIONS(description = "The rubric's maximum: every criterion scored 3."),
  band STRING NOT NULL OPTIONS(description = "tier1_candidate (priority enablement, co-marketing, preferred pricing), standard, probationary (a short trial with close monitoring), decline; incomplete while a criterion is not scored."),
  criteria_points STRING NOT NULL OPTIONS(description = "Points per rubric criterion in rubric order, e.g. \"market_alignment 3x3=9; portfolio_fit not scored\"."),
  missing_criteria STRING OPTIONS(description = "Rubric criteria not scored, comma-separated; null when complete."),
  unknown_criteria STRING OPTIONS(description = "Criteria in the rows that the rubric does not have (not counted), comma-separated; null when none.")
)
PARTITION BY as_of_date
CLUSTER BY as_of_date, applicant_id, assessed_date
OPTIONS(description = "Each application in applications scored against the intake rubric (configuration intake): total, maximum, band and the points per criterion (see docs/methodology.md, \"Intake qualification scorecard\").", require_partition_filter = TRUE)
