-- Partner roles on deals as loaded. Source: raw table deal_partners.
CREATE OR REPLACE VIEW stg_deal_partners AS
SELECT
  as_of_date,
  deal_id,
  partner_id,
  role,
  run_id
FROM deal_partners;
