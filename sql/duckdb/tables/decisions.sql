-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Decision records: tier overrides, fund and incentive exceptions and exits, one row per decision, with who decided, on what context, and when to review it.
CREATE OR REPLACE VIEW decisions AS
SELECT
  decision_id,
  partner_id,
  kind,
  decided_date,
  deciders,
  context,
  decision,
  decided_tier,
  status,
  review_date,
  as_of_date,
  run_id,
  source_file,
  source_row,
  source_lines
FROM read_parquet('decisions/*/*.parquet', union_by_name = true);
