-- Each mart has one row per key of its stated grain at the latest as-of
-- date (the long-tail ROI marts have their own assertions), and the latest
-- scorecard has one row per scored partner. Returns the keys that repeat
-- and a scorecard whose row count differs from latest_partner_quality.
SELECT 'mart_latest_scorecard' AS mart, as_of_date, partner_id AS grain_key, COUNT(*) AS n
FROM `{{dataset}}.mart_latest_scorecard`
GROUP BY as_of_date, partner_id
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_pqi_trend', as_of_date, partner_id, COUNT(*)
FROM `{{dataset}}.mart_pqi_trend`
WHERE as_of_date = {{latest_as_of}}
GROUP BY as_of_date, partner_id
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_attribution_by_model', as_of_date, CONCAT(partner_id, ' ', model), COUNT(*)
FROM `{{dataset}}.mart_attribution_by_model`
WHERE as_of_date = {{latest_as_of}}
GROUP BY as_of_date, partner_id, model
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_cohort_triangle', as_of_date, CONCAT(join_quarter, ' ', CAST(quarters_since_joining AS STRING)), COUNT(*)
FROM `{{dataset}}.mart_cohort_triangle`
WHERE as_of_date = {{latest_as_of}}
GROUP BY as_of_date, join_quarter, quarters_since_joining
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_data_quality_by_source', as_of_date, source, COUNT(*)
FROM `{{dataset}}.mart_data_quality_by_source`
GROUP BY as_of_date, source
HAVING COUNT(*) > 1
UNION ALL
SELECT 'mart_latest_scorecard rows', s.as_of_date, 'partners', s.n
FROM (SELECT ANY_VALUE(as_of_date) AS as_of_date, COUNT(*) AS n FROM `{{dataset}}.mart_latest_scorecard`) AS s
CROSS JOIN (SELECT COUNT(*) AS n FROM `{{dataset}}.latest_partner_quality`) AS q
WHERE s.n != q.n
