-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.quarantine` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date of the load."),
  run_id STRING NOT NULL OPTIONS(description = "Run that rejected the row."),
  source STRING NOT NULL OPTIONS(description = "Source table the row was meant for."),
  file STRING NOT NULL OPTIONS(description = "Export file the row came from."),
  source_row INT64 NOT NULL OPTIONS(description = "Row number in that file (CSV: header is row 1)."),
  column_name STRING OPTIONS(description = "Contract column of the first problem; null when the row as a whole is unreadable."),
  value STRING OPTIONS(description = "Offending value as it appeared in the export."),
  reason STRING NOT NULL OPTIONS(description = "Every problem with the row, in plain words, with the fix."),
  record STRING NOT NULL OPTIONS(description = "The whole row as read, a JSON object of export column to cell, so nothing is lost."),
  reason_code STRING NOT NULL OPTIONS(description = "Stable code of the first problem (the one column_name names), for counting and grouping rejections: unreadable_row (the row could not be split into cells), missing_required (a required value is empty), not_a_date (a date that does not parse), not_a_number (an amount or count that does not parse), not_a_boolean (a yes/no that does not parse), unknown_enum (a value outside the column's values), out_of_range (a number below its minimum or above its maximum), status_date_mismatch (a date set or missing against the row's status), date_order (two dates in the wrong order), future_date (a date after the as-of date), inconsistent_counts (counts that contradict each other), not_first_of_month (a monthly period not on the 1st), unknown_reference (an id the referenced table does not have), parent_quarantined (an id whose row in the referenced table was quarantined), duplicate_key (a key an earlier row already loaded).")
)
PARTITION BY as_of_date
OPTIONS(description = "Input rows that broke a contract rule: kept, not loaded, with the reason.")
