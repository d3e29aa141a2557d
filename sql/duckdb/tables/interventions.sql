-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Partners flagged for intervention: one row per partner and trigger (see docs/methodology.md).
CREATE OR REPLACE VIEW interventions AS
SELECT
  as_of_date,
  run_id,
  partner_id,
  trigger,
  severity,
  outlook,
  evidence,
  statistic,
  threshold,
  false_alarm_rate,
  action
FROM read_parquet('interventions/*/*.parquet', union_by_name = true);
