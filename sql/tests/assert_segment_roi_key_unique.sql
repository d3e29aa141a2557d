-- segment_roi: the key (quarter, tail_segment) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, quarter, tail_segment, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, quarter, tail_segment
HAVING COUNT(*) > 1 OR quarter IS NULL OR tail_segment IS NULL
