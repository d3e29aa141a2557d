-- Partners as loaded, one row per partner and as-of date, with the share of
-- certified staff. Source: raw table partners.
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
  SAFE_DIVIDE(certified_staff, total_staff) AS certified_share,
  case_studies,
  run_id
FROM `{{dataset}}.partners`
