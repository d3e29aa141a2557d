-- Every run of every job, with is_latest marking the latest succeeded run
-- of each job for each as-of date (the one whose data the tables hold).
-- Source: raw table runs (append-only).
CREATE OR REPLACE VIEW stg_runs AS
SELECT
  run_id,
  as_of_date,
  job,
  started_at,
  finished_at,
  duration_ms,
  outcome,
  error,
  code_version,
  config_digest,
  inputs,
  tables_written,
  outcome = 'succeeded'
    AND ROW_NUMBER() OVER (
      PARTITION BY job, as_of_date, outcome = 'succeeded'
      ORDER BY started_at DESC, run_id DESC
    ) = 1 AS is_latest
FROM runs;
