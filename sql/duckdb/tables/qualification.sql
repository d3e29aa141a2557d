-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Each application in applications scored against the intake rubric (configuration intake): total, maximum, band and the points per criterion (see docs/methodology.md, "Intake qualification scorecard").
CREATE OR REPLACE VIEW qualification AS
SELECT
  as_of_date,
  run_id,
  applicant_id,
  applicant_name,
  assessed_date,
  assessor,
  total,
  maximum,
  band,
  criteria_points,
  missing_criteria,
  unknown_criteria
FROM read_parquet('qualification/*/*.parquet', union_by_name = true);
