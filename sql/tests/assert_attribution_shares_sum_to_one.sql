-- Under every attribution model, a deal's partner shares sum to 1 (to
-- within 1e-9) and its credited amounts sum to the deal amount exactly.
WITH per_deal AS (
  SELECT as_of_date, deal_id, model,
    SUM(share) AS share_sum,
    SUM(credited_usd) AS credited_usd,
    MAX(amount_usd) AS amount_usd
  FROM `{{dataset}}.stg_attribution`
  GROUP BY as_of_date, deal_id, model
)
SELECT as_of_date, deal_id, model, share_sum, credited_usd, amount_usd
FROM per_deal
WHERE ABS(share_sum - 1) > 1e-9
  OR (amount_usd IS NOT NULL AND credited_usd != amount_usd)
