-- The long-tail ROI marts have one grain each: (as_of_date, quarter,
-- tail_segment) quarterly, (as_of_date, tail_segment) for the window.
-- Returns the keys that repeat.
SELECT 'mart_long_tail_roi_by_segment' AS mart, as_of_date, CONCAT(quarter, ' ', tail_segment) AS grain_key, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.mart_long_tail_roi_by_segment` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, quarter, tail_segment
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_long_tail_roi_window', as_of_date, tail_segment, COUNT(*)
FROM (SELECT * FROM `{{dataset}}.mart_long_tail_roi_window` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, tail_segment
HAVING COUNT(*) > 1
