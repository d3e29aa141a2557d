-- Monthly cost to serve as loaded, with the quarter it falls in.
-- Source: raw table cost_to_serve.
CREATE OR REPLACE VIEW stg_cost_to_serve AS
SELECT
  as_of_date,
  partner_id,
  period_start,
  CAST(date_trunc('quarter', period_start) AS DATE) AS quarter_start,
  category,
  amount_usd,
  hours,
  run_id
FROM cost_to_serve;
