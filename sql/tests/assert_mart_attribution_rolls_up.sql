-- Summing mart_attribution_by_model over partners gives, for each model,
-- one credited deal per attributed deal and the deals' credited dollars:
-- every deal's credit is shared out once, whatever the model. Returns the
-- models whose sums differ (by more than a cent, for dollars).
WITH deals AS (
  SELECT model, COUNT(DISTINCT deal_id) AS deals, SUM(credited_usd) AS credited_usd
  FROM `{{dataset}}.stg_attribution`
  WHERE as_of_date = {{latest_as_of}}
  GROUP BY model
),
mart AS (
  SELECT model, SUM(credited_deals) AS credited_deals, SUM(credited_usd) AS credited_usd
  FROM `{{dataset}}.mart_attribution_by_model`
  WHERE as_of_date = {{latest_as_of}}
  GROUP BY model
)
SELECT d.model, d.deals, m.credited_deals, d.credited_usd, m.credited_usd AS mart_credited_usd
FROM deals AS d
LEFT JOIN mart AS m USING (model)
WHERE m.model IS NULL
  OR ABS(m.credited_deals - d.deals) > 1e-6 * d.deals
  OR ABS(m.credited_usd - d.credited_usd) > 0.01
