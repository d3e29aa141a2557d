-- What does a won dollar cost to serve, by partner type? Cost to serve in
-- the trailing year against won amounts of deals the partners were on,
-- latest as-of date.
WITH cost AS (
  SELECT c.partner_id, SUM(c.amount_usd) AS cost_usd
  FROM `{{dataset}}.latest_cost_to_serve` AS c
  WHERE c.period_start > DATE_SUB(c.as_of_date, INTERVAL 1 YEAR)
  GROUP BY c.partner_id
),
won AS (
  SELECT dp.partner_id, SUM(d.amount_usd) AS won_usd
  FROM `{{dataset}}.latest_deal_partners` AS dp
  JOIN `{{dataset}}.latest_deals` AS d ON d.deal_id = dp.deal_id
  WHERE d.is_won AND d.closed_date > DATE_SUB(d.as_of_date, INTERVAL 1 YEAR)
  GROUP BY dp.partner_id
)
SELECT IFNULL(p.partner_type, 'unknown') AS partner_type,
  COUNT(*) AS partners,
  SUM(IFNULL(c.cost_usd, 0)) AS cost_usd,
  SUM(IFNULL(w.won_usd, 0)) AS won_usd,
  ROUND(SAFE_DIVIDE(SUM(IFNULL(c.cost_usd, 0)), SUM(IFNULL(w.won_usd, 0))), 4) AS cost_per_won_dollar
FROM `{{dataset}}.latest_partners` AS p
LEFT JOIN cost AS c ON c.partner_id = p.partner_id
LEFT JOIN won AS w ON w.partner_id = p.partner_id
GROUP BY partner_type
ORDER BY partner_type
