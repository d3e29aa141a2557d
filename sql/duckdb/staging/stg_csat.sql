-- CSAT responses as loaded. Source: raw table csat.
CREATE OR REPLACE VIEW stg_csat AS
SELECT
  as_of_date,
  response_id,
  partner_id,
  customer_id,
  deal_id,
  responded_date,
  score,
  run_id
FROM csat;
