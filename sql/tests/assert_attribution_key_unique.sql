-- attribution: the key (deal_id, partner_id) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, deal_id, partner_id, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, deal_id, partner_id
HAVING COUNT(*) > 1 OR deal_id IS NULL OR partner_id IS NULL
