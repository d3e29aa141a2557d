-- deal_partners: the key (deal_id, partner_id, role) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, deal_id, partner_id, role, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.deal_partners` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, deal_id, partner_id, role
HAVING COUNT(*) > 1 OR deal_id IS NULL OR partner_id IS NULL OR role IS NULL
