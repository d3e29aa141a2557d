-- Which regions bring the most partner-sourced pipeline, by customer
-- segment? Won and open amounts of deals a partner sourced, latest as-of
-- date (latest_ views: one snapshot, so each deal counts once).
WITH sourced AS (
  SELECT DISTINCT deal_id, partner_id
  FROM `{{dataset}}.latest_deal_partners`
  WHERE role = 'sourced'
)
SELECT p.region, d.segment,
  COUNT(DISTINCT d.deal_id) AS deals,
  SUM(IF(d.is_won, d.amount_usd, 0)) AS won_usd,
  SUM(IF(d.status = 'open', d.amount_usd, 0)) AS open_usd
FROM sourced AS s
JOIN `{{dataset}}.latest_deals` AS d ON d.deal_id = s.deal_id
JOIN `{{dataset}}.latest_partners` AS p ON p.partner_id = s.partner_id
GROUP BY p.region, d.segment
ORDER BY won_usd DESC, p.region, d.segment
