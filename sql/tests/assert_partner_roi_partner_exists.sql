-- Every partner_roi.partner_id (when set) exists in partners.partner_id of the same as-of date.
SELECT c.as_of_date, c.partner_id
FROM (SELECT * FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}}) AS c
LEFT JOIN (SELECT * FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}}) AS p
  ON p.partner_id = c.partner_id AND p.as_of_date = c.as_of_date
WHERE c.partner_id IS NOT NULL AND p.partner_id IS NULL
