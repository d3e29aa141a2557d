-- csat: the key (response_id) is unique within each as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, response_id, COUNT(*) AS n
FROM `{{dataset}}.csat`
GROUP BY as_of_date, response_id
HAVING COUNT(*) > 1 OR response_id IS NULL
