-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Partners in the program: one row per partner.
CREATE OR REPLACE VIEW partners AS
SELECT
  partner_id,
  partner_name,
  partner_type,
  program_tier,
  region,
  vertical,
  capability,
  joined_date,
  certified_staff,
  total_staff,
  case_studies,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines,
  joined_date_source
FROM read_parquet('partners/*/*.parquet', union_by_name = true);
