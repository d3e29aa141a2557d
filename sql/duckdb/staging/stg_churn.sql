-- Customer contracts as loaded, with a churned flag; partner_id null means
-- a direct customer. Source: raw table churn.
CREATE OR REPLACE VIEW stg_churn AS
SELECT
  as_of_date,
  customer_id,
  partner_id,
  partner_id IS NULL AS is_direct,
  contract_start_date,
  churn_date,
  churn_date IS NOT NULL AS churned,
  arr_usd,
  run_id
FROM churn;
