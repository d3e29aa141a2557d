-- Partner roles on deals as loaded. Source: raw table deal_partners.
SELECT
  as_of_date,
  deal_id,
  partner_id,
  role,
  run_id
FROM `{{dataset}}.deal_partners`
