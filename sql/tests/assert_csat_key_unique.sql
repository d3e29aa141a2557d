-- csat: the key (response_id) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, response_id, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.csat` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, response_id
HAVING COUNT(*) > 1 OR response_id IS NULL
