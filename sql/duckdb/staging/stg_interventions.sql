-- Partners flagged for intervention. Source: scored table interventions.
CREATE OR REPLACE VIEW stg_interventions AS
SELECT
  as_of_date,
  partner_id,
  "trigger" AS trigger_rule,
  severity,
  outlook,
  evidence,
  statistic,
  threshold,
  false_alarm_rate,
  action,
  run_id
FROM interventions;
