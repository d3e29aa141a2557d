-- What does a won dollar cost to serve, by partner type? Cost to serve in
-- the trailing year against won amounts of deals the partners were on,
-- latest as-of date. The trailing year is the 12 calendar months up to the
-- as-of date's (a month end), written in SQL that BigQuery and DuckDB share.
WITH cost AS (
  SELECT c.partner_id, SUM(c.amount_usd) AS cost_usd
  FROM `{{dataset}}.latest_cost_to_serve` AS c
  WHERE EXTRACT(YEAR FROM c.period_start) * 12 + EXTRACT(MONTH FROM c.period_start) > EXTRACT(YEAR FROM c.as_of_date) * 12 + EXTRACT(MONTH FROM c.as_of_date) - 12
  GROUP BY c.partner_id
),
won AS (
  SELECT dp.partner_id, SUM(d.amount_usd) AS won_usd
  FROM `{{dataset}}.latest_deal_partners` AS dp
  JOIN `{{dataset}}.latest_deals` AS d ON d.deal_id = dp.deal_id
  WHERE d.is_won AND EXTRACT(YEAR FROM d.closed_date) * 12 + EXTRACT(MONTH FROM d.closed_date) > EXTRACT(YEAR FROM d.as_of_date) * 12 + EXTRACT(MONTH FROM d.as_of_date) - 12
  GROUP BY dp.partner_id
)
SELECT IFNULL(p.partner_type, 'unknown') AS partner_type,
  COUNT(*) AS partners,
  SUM(IFNULL(c.cost_usd, 0)) AS cost_usd,
  SUM(IFNULL(w.won_usd, 0)) AS won_usd,
  ROUND(SUM(IFNULL(c.cost_usd, 0)) / NULLIF(SUM(IFNULL(w.won_usd, 0)), 0), 4) AS cost_per_won_dollar
FROM `{{dataset}}.latest_partners` AS p
LEFT JOIN cost AS c ON c.partner_id = p.partner_id
LEFT JOIN won AS w ON w.partner_id = p.partner_id
GROUP BY partner_type
ORDER BY partner_type
