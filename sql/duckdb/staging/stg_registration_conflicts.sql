-- Registrations of a customer by a second partner inside the protection
-- period of a first partner's qualified registration, for review.
-- Source: scored table registration_conflicts.
CREATE OR REPLACE VIEW stg_registration_conflicts AS
SELECT
  as_of_date,
  customer_id,
  first_deal_id,
  first_partner_id,
  first_registered_date,
  protection_days,
  protected_until,
  deal_id,
  partner_id,
  registered_date,
  days_after_first,
  run_id
FROM registration_conflicts;
