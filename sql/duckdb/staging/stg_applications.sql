-- Qualification assessments of prospective partners as loaded, one row per
-- application and criterion. Source: raw table applications.
CREATE OR REPLACE VIEW stg_applications AS
SELECT
  as_of_date,
  applicant_id,
  applicant_name,
  assessed_date,
  assessor,
  criterion,
  score,
  evidence_note,
  run_id
FROM applications;
