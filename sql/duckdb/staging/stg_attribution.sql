-- Deal credit under the five attribution models, one row per model, deal
-- and partner (unpivoted from the wide scored table).
-- Source: scored table attribution.
CREATE OR REPLACE VIEW stg_attribution AS
SELECT as_of_date, deal_id, partner_id, status, created_date, closed_date, amount_usd,
  'sourced_only' AS model, sourced_only_share AS share, sourced_only_usd AS credited_usd, run_id
FROM attribution
UNION ALL
SELECT as_of_date, deal_id, partner_id, status, created_date, closed_date, amount_usd,
  'equal_split', equal_split_share, equal_split_usd, run_id
FROM attribution
UNION ALL
SELECT as_of_date, deal_id, partner_id, status, created_date, closed_date, amount_usd,
  'role_weighted', role_weighted_share, role_weighted_usd, run_id
FROM attribution
UNION ALL
SELECT as_of_date, deal_id, partner_id, status, created_date, closed_date, amount_usd,
  'shapley', shapley_share, shapley_usd, run_id
FROM attribution
UNION ALL
SELECT as_of_date, deal_id, partner_id, status, created_date, closed_date, amount_usd,
  'primary_60_40', primary_60_40_share, primary_60_40_usd, run_id
FROM attribution;
