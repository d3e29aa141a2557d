-- Rejected export rows with their reason. Source: raw table quarantine.
CREATE OR REPLACE VIEW stg_quarantine AS
SELECT
  as_of_date,
  run_id,
  source,
  file,
  source_row,
  column_name,
  value,
  reason,
  record
FROM quarantine;
