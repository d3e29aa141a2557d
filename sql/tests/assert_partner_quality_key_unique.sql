-- partner_quality: the key (partner_id) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, partner_id, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, partner_id
HAVING COUNT(*) > 1 OR partner_id IS NULL
