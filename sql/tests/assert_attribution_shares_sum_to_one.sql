-- At the latest as-of date, under every attribution model, a deal's
-- partner shares sum to 1 (to within 1e-9) and its credited amounts sum to
-- the deal amount to the cent.
-- Amounts are whole cents, so any real mismatch is at least 0.01; comparing
-- against half a cent is exact on BigQuery NUMERIC and also holds on the
-- emulator, which stores NUMERIC through float64.
WITH per_deal AS (
  SELECT as_of_date, deal_id, model,
    SUM(share) AS share_sum,
    SUM(credited_usd) AS credited_usd,
    MAX(amount_usd) AS amount_usd
  FROM `{{dataset}}.stg_attribution`
  WHERE as_of_date = {{latest_as_of}}
  GROUP BY as_of_date, deal_id, model
)
SELECT as_of_date, deal_id, model, share_sum, credited_usd, amount_usd
FROM per_deal
WHERE ABS(share_sum - 1) > 1e-9
  OR (amount_usd IS NOT NULL AND ABS(credited_usd - amount_usd) >= 0.005)
