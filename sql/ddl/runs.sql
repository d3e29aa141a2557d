-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.runs` (
  run_id STRING NOT NULL OPTIONS(description = "Run identifier, derived from as-of date, input checksums, config and code version."),
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date the run is for."),
  job STRING NOT NULL OPTIONS(description = "Job that ran: ingest, score, publish."),
  started_at TIMESTAMP NOT NULL OPTIONS(description = "When the run started (UTC)."),
  finished_at TIMESTAMP NOT NULL OPTIONS(description = "When the run ended (UTC)."),
  duration_ms INT64 NOT NULL OPTIONS(description = "Wall time in milliseconds."),
  outcome STRING NOT NULL OPTIONS(description = "succeeded or failed."),
  error STRING OPTIONS(description = "Why the run failed; null when it succeeded."),
  code_version STRING NOT NULL OPTIONS(description = "Version of pqi that ran."),
  config_digest STRING NOT NULL OPTIONS(description = "sha256 of the effective configuration."),
  inputs STRING NOT NULL OPTIONS(description = "JSON array: one object per input file with source, file, sha256, bytes, rows_read, rows_accepted, rows_quarantined."),
  tables_written STRING OPTIONS(description = "Comma-separated tables the run published."),
  notes STRING OPTIONS(description = "JSON array of plain-words notes: sources or columns missing and what that costs, case-mix covariates dropped, guardrails the data could not hold; null when there are none."),
  replaced_run_id STRING OPTIONS(description = "Run whose published snapshot of this as-of date the run replaced (the run_id its tables held before); equal to run_id when the same inputs, configuration and code were published again; null when there was none, and for runs that failed or publish no tables."),
  config STRING OPTIONS(description = "A score run's effective configuration, as the YAML file that reproduces it (pqi score --config); the report and the scorecards read the configuration from here. Null for other jobs and for score runs recorded before it was.")
)
PARTITION BY as_of_date
OPTIONS(description = "One row per run of a job: inputs, configuration, code version, timings and outcome.")
