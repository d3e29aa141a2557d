-- Attribution by model: credited pipeline and won revenue per partner,
-- as-of date and model, side by side so the models can be compared.
-- Source: stg_attribution.
CREATE OR REPLACE VIEW mart_attribution_by_model AS
SELECT
  as_of_date,
  partner_id,
  model,
  COUNT(*) AS deals,
  SUM(share) AS credited_deals,
  SUM(credited_usd) AS credited_usd,
  SUM(IF(status = 'won', credited_usd, 0)) AS credited_won_usd,
  SUM(IF(status = 'open', credited_usd, 0)) AS credited_open_usd
FROM stg_attribution
GROUP BY as_of_date, partner_id, model;
