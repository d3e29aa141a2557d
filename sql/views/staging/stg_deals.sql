-- Deals as loaded, with derived flags: closed, won, days to close.
-- Source: raw table deals.
SELECT
  as_of_date,
  deal_id,
  customer_id,
  created_date,
  closed_date,
  status,
  status != 'open' AS is_closed,
  status = 'won' AS is_won,
  DATE_DIFF(closed_date, created_date, DAY) AS days_to_close,
  amount_usd,
  segment,
  product_count,
  customer_maturity,
  delivery_scope,
  qualified,
  registered_date,
  ae_invited,
  services_attached,
  first_value_date,
  via_marketplace,
  run_id
FROM `{{dataset}}.deals`
