-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.registration_conflicts` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date scored."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that wrote the row."),
  customer_id STRING NOT NULL OPTIONS(description = "Customer both partners registered."),
  first_deal_id STRING NOT NULL OPTIONS(description = "The protecting registration: the earliest qualified registration of the customer by another partner whose protection period covers the later one."),
  first_partner_id STRING NOT NULL OPTIONS(description = "Partner that registered first (primary partner of first_deal_id): the registration that wins."),
  first_registered_date DATE NOT NULL OPTIONS(description = "Date of the first registration."),
  protection_days INT64 NOT NULL OPTIONS(description = "Protection period of the first registration in days, set by the first deal's amount (configuration registration_protection: 90 days, 180 from $100,000 by default; the shorter without an amount)."),
  protected_until DATE NOT NULL OPTIONS(description = "Last day of the protection: first_registered_date + protection_days."),
  deal_id STRING NOT NULL OPTIONS(description = "The later registration, inside the protection period."),
  partner_id STRING NOT NULL OPTIONS(description = "Partner that registered later (primary partner of deal_id)."),
  registered_date DATE NOT NULL OPTIONS(description = "Date of the later registration."),
  days_after_first INT64 NOT NULL OPTIONS(description = "registered_date - first_registered_date, in days.")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Registrations of one customer by a second partner inside the protection period of a first partner's qualified registration (first qualified registration wins), for review; one row per later registration in the window (see docs/methodology.md).", require_partition_filter = TRUE)
