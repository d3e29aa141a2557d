-- Generated from transforms/schema by warehouse.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse -run TestDDLFilesMatchSchema -update
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
  reason_code STRING NOT NULL OPTIONS(description = "Stable code of the first problem (the one column_name names), for counting and grouping rejections.")
)
PARTITION BY as_of_date
OPTIONS(description = "Input rows that broke a contract rule: kept, not loaded, with the reason.")
