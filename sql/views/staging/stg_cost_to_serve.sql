-- Monthly cost to serve as loaded, with the quarter it falls in.
-- Source: raw table cost_to_serve.
SELECT
  as_of_date,
  partner_id,
  period_start,
  DATE_TRUNC(period_start, QUARTER) AS quarter_start,
  category,
  amount_usd,
  hours,
  run_id
FROM `{{dataset}}.cost_to_serve`
