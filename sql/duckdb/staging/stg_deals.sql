-- Deals as loaded, with derived flags: closed, won, days to close.
-- Source: raw table deals.
CREATE OR REPLACE VIEW stg_deals AS
SELECT
  as_of_date,
  deal_id,
  customer_id,
  created_date,
  closed_date,
  status,
  status != 'open' AS is_closed,
  status = 'won' AS is_won,
  date_diff('day', created_date, closed_date) AS days_to_close,
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
FROM deals;
