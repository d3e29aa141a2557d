-- One row per input file of every ingest run, unpacked from runs.inputs
-- (a JSON array): rows read, accepted and quarantined per file. is_latest
-- marks the files of the latest succeeded ingest of each as-of date (the
-- run whose rows the tables hold), as in stg_runs.
-- Source: raw table runs.
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
  FROM `{{dataset}}.runs`
  WHERE job = 'ingest'
)
SELECT
  r.run_id,
  r.as_of_date,
  r.started_at,
  r.is_latest,
  JSON_VALUE(f, '$.source') AS source,
  JSON_VALUE(f, '$.file') AS file,
  JSON_VALUE(f, '$.sha256') AS sha256,
  CAST(JSON_VALUE(f, '$.bytes') AS INT64) AS bytes,
  CAST(JSON_VALUE(f, '$.rows_read') AS INT64) AS rows_read,
  CAST(JSON_VALUE(f, '$.rows_accepted') AS INT64) AS rows_accepted,
  CAST(JSON_VALUE(f, '$.rows_quarantined') AS INT64) AS rows_quarantined
FROM ingests AS r
CROSS JOIN UNNEST(JSON_QUERY_ARRAY(r.inputs)) AS f
