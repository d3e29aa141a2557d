-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Qualification assessments of prospective partners against the intake rubric: one row per application and criterion, scored 0 (warning sign) to 3 (good sign), as a partner team's assessment form or CRM exports them.
CREATE OR REPLACE VIEW applications AS
SELECT
  applicant_id,
  applicant_name,
  assessed_date,
  assessor,
  criterion,
  score,
  evidence_note,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('applications/*/*.parquet', union_by_name = true);
