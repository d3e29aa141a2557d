-- cost_to_serve: the key (partner_id, period_start, category) is unique within each as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, partner_id, period_start, category, COUNT(*) AS n
FROM `{{dataset}}.cost_to_serve`
GROUP BY as_of_date, partner_id, period_start, category
HAVING COUNT(*) > 1 OR partner_id IS NULL OR period_start IS NULL OR category IS NULL
