-- Summing the quarterly mart over its quarters gives the window's cost
-- and pipeline, segment by segment: a SUM over the mart counts each dollar
-- once (it once held the window rows too, and summed to twice the cost).
-- Returns the segments whose sums differ by more than a cent.
WITH quarters AS (
  SELECT as_of_date, tail_segment, SUM(cost_total_usd) AS cost, SUM(pipeline_created_usd) AS pipeline
  FROM (SELECT * FROM `{{dataset}}.mart_long_tail_roi_by_segment` WHERE as_of_date = {{latest_as_of}})
  GROUP BY as_of_date, tail_segment
)
SELECT w.as_of_date, w.tail_segment, w.cost_total_usd, q.cost, w.pipeline_created_usd, q.pipeline
FROM (SELECT * FROM `{{dataset}}.mart_long_tail_roi_window` WHERE as_of_date = {{latest_as_of}}) w
LEFT JOIN quarters q USING (as_of_date, tail_segment)
WHERE q.cost IS NULL
  OR ABS(w.cost_total_usd - q.cost) > 0.01
  OR ABS(w.pipeline_created_usd - q.pipeline) > 0.01
