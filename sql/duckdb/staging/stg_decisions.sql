-- Decision records as loaded: tier overrides, fund and incentive exceptions
-- and exits, one row per decision. Source: raw table decisions.
CREATE OR REPLACE VIEW stg_decisions AS
SELECT
  as_of_date,
  decision_id,
  partner_id,
  kind,
  decided_date,
  deciders,
  context,
  decision,
  decided_tier,
  status,
  review_date,
  run_id
FROM decisions;
