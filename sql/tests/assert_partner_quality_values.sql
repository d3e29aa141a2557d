-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- partner_quality: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_type', partner_type FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND partner_type NOT IN ("si", "isv", "reseller", "msp", "referral", "advisory")
UNION ALL
SELECT as_of_date, 'program_tier', program_tier FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND program_tier NOT IN ("registered", "silver", "gold", "platinum")
UNION ALL
SELECT as_of_date, 'peer_group' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND peer_group IS NULL
UNION ALL
SELECT as_of_date, 'window_start' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND window_start IS NULL
UNION ALL
SELECT as_of_date, 'window_end' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND window_end IS NULL
UNION ALL
SELECT as_of_date, 'deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND deals IS NULL
UNION ALL
SELECT as_of_date, 'closed_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND closed_deals IS NULL
UNION ALL
SELECT as_of_date, 'csat_responses' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND csat_responses IS NULL
UNION ALL
SELECT as_of_date, 'customers' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND customers IS NULL
UNION ALL
SELECT as_of_date, 'contracts' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND contracts IS NULL
UNION ALL
SELECT as_of_date, 'win_rate_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND win_rate_n IS NULL
UNION ALL
SELECT as_of_date, 'csat_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND csat_n IS NULL
UNION ALL
SELECT as_of_date, 'time_to_value_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND time_to_value_n IS NULL
UNION ALL
SELECT as_of_date, 'churn_rate_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND churn_rate_n IS NULL
UNION ALL
SELECT as_of_date, 'attach_rate_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND attach_rate_n IS NULL
UNION ALL
SELECT as_of_date, 'lead_quality_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND lead_quality_n IS NULL
UNION ALL
SELECT as_of_date, 'registration_discipline_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND registration_discipline_n IS NULL
UNION ALL
SELECT as_of_date, 'ae_pull_through_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND ae_pull_through_n IS NULL
UNION ALL
SELECT as_of_date, 'certification_rate_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND certification_rate_n IS NULL
UNION ALL
SELECT as_of_date, 'case_studies_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND case_studies_n IS NULL
UNION ALL
SELECT as_of_date, 'marketplace_activity_n' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND marketplace_activity_n IS NULL
UNION ALL
SELECT as_of_date, 'composite_z' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND composite_z IS NULL
UNION ALL
SELECT as_of_date, 'pqi' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND pqi IS NULL
UNION ALL
SELECT as_of_date, 'pqi_low' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND pqi_low IS NULL
UNION ALL
SELECT as_of_date, 'pqi_high' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND pqi_high IS NULL
UNION ALL
SELECT as_of_date, 'guardrail' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND guardrail IS NULL
UNION ALL
SELECT as_of_date, 'evidence_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND evidence_status IS NULL
UNION ALL
SELECT as_of_date, 'evidence_status', evidence_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND evidence_status NOT IN ("scored", "insufficient_evidence", "indistinguishable")
UNION ALL
SELECT as_of_date, 'tier_recommendation' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND tier_recommendation IS NULL
UNION ALL
SELECT as_of_date, 'tier_recommendation', tier_recommendation FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND tier_recommendation NOT IN ("promote", "hold", "demote", "review_exit", "at_risk")
UNION ALL
SELECT as_of_date, 'recommended_tier', recommended_tier FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND recommended_tier NOT IN ("registered", "silver", "gold", "platinum")
UNION ALL
SELECT as_of_date, 'tier_reason' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND tier_reason IS NULL
UNION ALL
SELECT as_of_date, 'weights_effective_from' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND weights_effective_from IS NULL
UNION ALL
SELECT as_of_date, 'config_digest' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND config_digest IS NULL
UNION ALL
SELECT as_of_date, 'measured_weight' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND measured_weight IS NULL
UNION ALL
SELECT as_of_date, 'pqi_partial' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND pqi_partial IS NULL
UNION ALL
SELECT as_of_date, 'win_rate_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND win_rate_status IS NULL
UNION ALL
SELECT as_of_date, 'win_rate_status', win_rate_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND win_rate_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'csat_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND csat_status IS NULL
UNION ALL
SELECT as_of_date, 'csat_status', csat_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND csat_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'time_to_value_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND time_to_value_status IS NULL
UNION ALL
SELECT as_of_date, 'time_to_value_status', time_to_value_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND time_to_value_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'churn_rate_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND churn_rate_status IS NULL
UNION ALL
SELECT as_of_date, 'churn_rate_status', churn_rate_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND churn_rate_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'attach_rate_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND attach_rate_status IS NULL
UNION ALL
SELECT as_of_date, 'attach_rate_status', attach_rate_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND attach_rate_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'lead_quality_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND lead_quality_status IS NULL
UNION ALL
SELECT as_of_date, 'lead_quality_status', lead_quality_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND lead_quality_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'registration_discipline_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND registration_discipline_status IS NULL
UNION ALL
SELECT as_of_date, 'registration_discipline_status', registration_discipline_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND registration_discipline_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'ae_pull_through_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND ae_pull_through_status IS NULL
UNION ALL
SELECT as_of_date, 'ae_pull_through_status', ae_pull_through_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND ae_pull_through_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'certification_rate_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND certification_rate_status IS NULL
UNION ALL
SELECT as_of_date, 'certification_rate_status', certification_rate_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND certification_rate_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'case_studies_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND case_studies_status IS NULL
UNION ALL
SELECT as_of_date, 'case_studies_status', case_studies_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND case_studies_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'marketplace_activity_status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND marketplace_activity_status IS NULL
UNION ALL
SELECT as_of_date, 'marketplace_activity_status', marketplace_activity_status FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND marketplace_activity_status NOT IN ("measured", "no_export", "no_column", "no_rows", "no_partner_rows")
UNION ALL
SELECT as_of_date, 'weighted_closed_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND weighted_closed_deals IS NULL
UNION ALL
SELECT as_of_date, 'win_rate_target_met', win_rate_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND win_rate_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'csat_target_met', csat_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND csat_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'time_to_value_target_met', time_to_value_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND time_to_value_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'churn_rate_target_met', churn_rate_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND churn_rate_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'attach_rate_target_met', attach_rate_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND attach_rate_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'lead_quality_target_met', lead_quality_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND lead_quality_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'certification_rate_target_met', certification_rate_target_met FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND certification_rate_target_met NOT IN ("met", "missed")
UNION ALL
SELECT as_of_date, 'healthy_targets_met' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND healthy_targets_met IS NULL
UNION ALL
SELECT as_of_date, 'healthy_targets_checked' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND healthy_targets_checked IS NULL
UNION ALL
SELECT as_of_date, 'registration_conflicts_first' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND registration_conflicts_first IS NULL
UNION ALL
SELECT as_of_date, 'registration_conflicts_later' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_quality` WHERE as_of_date = {{latest_as_of}} AND registration_conflicts_later IS NULL
