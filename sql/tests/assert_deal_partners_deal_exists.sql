-- Every deal_partners.deal_id (when set) exists in deals.deal_id of the same as-of date.
SELECT c.as_of_date, c.deal_id
FROM (SELECT * FROM `{{dataset}}.deal_partners` WHERE as_of_date = {{latest_as_of}}) AS c
LEFT JOIN (SELECT * FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}}) AS p
  ON p.deal_id = c.deal_id AND p.as_of_date = c.as_of_date
WHERE c.deal_id IS NOT NULL AND p.deal_id IS NULL
