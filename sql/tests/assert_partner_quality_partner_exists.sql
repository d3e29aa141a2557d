-- Every partner_quality.partner_id (when set) exists in partners.partner_id of the same as-of date.
SELECT c.as_of_date, c.partner_id
FROM `{{dataset}}.partner_quality` AS c
LEFT JOIN `{{dataset}}.partners` AS p
  ON p.partner_id = c.partner_id AND p.as_of_date = c.as_of_date
WHERE c.partner_id IS NOT NULL AND p.partner_id IS NULL
