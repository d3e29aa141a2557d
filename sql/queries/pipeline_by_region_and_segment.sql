-- Which regions bring the most partner-sourced pipeline, by customer
-- segment? Won and open amounts of deals a partner sourced, latest load.
WITH latest AS (SELECT MAX(as_of_date) AS as_of_date FROM `{{dataset}}.stg_deals`),
sourced AS (
  SELECT DISTINCT dp.as_of_date, dp.deal_id, dp.partner_id
  FROM `{{dataset}}.stg_deal_partners` AS dp
  JOIN latest USING (as_of_date)
  WHERE dp.role = 'sourced'
)
SELECT p.region, d.segment,
  COUNT(DISTINCT d.deal_id) AS deals,
  SUM(IF(d.is_won, d.amount_usd, 0)) AS won_usd,
  SUM(IF(d.status = 'open', d.amount_usd, 0)) AS open_usd
FROM sourced AS s
JOIN `{{dataset}}.stg_deals` AS d ON d.deal_id = s.deal_id AND d.as_of_date = s.as_of_date
JOIN `{{dataset}}.stg_partners` AS p ON p.partner_id = s.partner_id AND p.as_of_date = s.as_of_date
GROUP BY p.region, d.segment
ORDER BY won_usd DESC, p.region, d.segment
