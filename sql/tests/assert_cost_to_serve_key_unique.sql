-- cost_to_serve: the key (partner_id, period_start, category) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, partner_id, period_start, category, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, partner_id, period_start, category
HAVING COUNT(*) > 1 OR partner_id IS NULL OR period_start IS NULL OR category IS NULL
