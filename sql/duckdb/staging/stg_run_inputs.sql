-- One row per input file of every ingest run, unpacked from runs.inputs
-- (a JSON array): rows read, accepted and quarantined per file. is_latest
-- marks the files of the latest succeeded ingest of each as-of date (the
-- run whose rows the tables hold), as in stg_runs.
-- Source: raw table runs.
CREATE OR REPLACE VIEW stg_run_inputs AS
WITH ingests AS (
  SELECT
    run_id,
    as_of_date,
    started_at,
    inputs,
    outcome = 'succeeded'
      AND ROW_NUMBER() OVER (
        PARTITION BY as_of_date, outcome = 'succeeded'
        ORDER BY started_at DESC, run_id DESC
      ) = 1 AS is_latest
  FROM runs
  WHERE job = 'ingest'
)
SELECT
  r.run_id,
  r.as_of_date,
  r.started_at,
  r.is_latest,
  json_extract_string(f, '$.source') AS source,
  json_extract_string(f, '$.file') AS file,
  json_extract_string(f, '$.sha256') AS sha256,
  CAST(json_extract_string(f, '$.bytes') AS BIGINT) AS bytes,
  CAST(json_extract_string(f, '$.rows_read') AS BIGINT) AS rows_read,
  CAST(json_extract_string(f, '$.rows_accepted') AS BIGINT) AS rows_accepted,
  CAST(json_extract_string(f, '$.rows_quarantined') AS BIGINT) AS rows_quarantined
FROM ingests AS r
CROSS JOIN UNNEST(CAST(json_extract(r.inputs, '$') AS JSON[])) AS u(f);
