-- PQI over time per partner. Grain: one row per partner and scored as-of
-- date, up to the latest one, with the interval and the change from the
-- quarter before (pqi_change is computed by the score
-- job from the same snapshot; delta_vs_last_load compares stored loads).
-- Source: stg_partner_quality.
CREATE OR REPLACE VIEW mart_pqi_trend AS
SELECT
  as_of_date,
  partner_id,
  pqi,
  pqi_low,
  pqi_high,
  previous_pqi,
  pqi_change,
  pqi - LAG(pqi) OVER (PARTITION BY partner_id ORDER BY as_of_date) AS delta_vs_last_load,
  evidence_status,
  tier_recommendation
FROM stg_partner_quality
WHERE as_of_date <= COALESCE((SELECT MAX(as_of_date) FROM runs WHERE job = 'score' AND outcome = 'succeeded'), (SELECT MAX(as_of_date) FROM runs WHERE job = 'ingest' AND outcome = 'succeeded'));
