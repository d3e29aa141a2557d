-- Partners as loaded, one row per partner and as-of date, with the share of
-- certified staff. Source: raw table partners.
CREATE OR REPLACE VIEW stg_partners AS
SELECT
  as_of_date,
  partner_id,
  partner_name,
  partner_type,
  program_tier,
  region,
  vertical,
  capability,
  joined_date,
  certified_staff,
  total_staff,
  certified_staff / NULLIF(total_staff, 0) AS certified_share,
  case_studies,
  run_id
FROM partners;
