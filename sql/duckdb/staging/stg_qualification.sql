-- Applications scored against the intake rubric: total, band, points per
-- criterion. Source: scored table qualification.
CREATE OR REPLACE VIEW stg_qualification AS
SELECT
  as_of_date,
  applicant_id,
  applicant_name,
  assessed_date,
  assessor,
  total,
  maximum,
  band,
  criteria_points,
  missing_criteria,
  unknown_criteria,
  run_id
FROM qualification;
