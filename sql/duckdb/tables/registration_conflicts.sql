-- Generated from transforms/schema by local.DuckDBTable: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- Registrations of one customer by a second partner inside the protection period of a first partner's qualified registration (first qualified registration wins), for review; one row per later registration in the window (see docs/methodology.md).
CREATE OR REPLACE VIEW registration_conflicts AS
SELECT
  as_of_date,
  run_id,
  customer_id,
  first_deal_id,
  first_partner_id,
  first_registered_date,
  protection_days,
  protected_until,
  deal_id,
  partner_id,
  registered_date,
  days_after_first
FROM read_parquet('registration_conflicts/*/*.parquet', union_by_name = true);
