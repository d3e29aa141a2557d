-- partner_roi: the key (partner_id, quarter_start) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, partner_id, quarter_start, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, partner_id, quarter_start
HAVING COUNT(*) > 1 OR partner_id IS NULL OR quarter_start IS NULL
