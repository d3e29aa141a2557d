-- The latest scorecard. Grain: one row per partner at the latest scored
-- as-of date, with the partner's name and its open interventions.
-- Sources: latest_partner_quality, latest_partners, latest_interventions.
CREATE OR REPLACE VIEW mart_latest_scorecard AS
WITH flags AS (
  SELECT as_of_date, partner_id,
    STRING_AGG(CONCAT(trigger_rule, ' (', severity, ')'), '; ' ORDER BY trigger_rule) AS interventions
  FROM latest_interventions
  GROUP BY as_of_date, partner_id
)
SELECT
  q.as_of_date,
  q.partner_id,
  p.partner_name,
  q.partner_type,
  q.program_tier,
  p.region,
  q.pqi,
  q.pqi_low,
  q.pqi_high,
  q.pqi_change,
  q.top_contributors,
  q.delivery_health_pillar,
  q.commercial_execution_pillar,
  q.pipeline_discipline_pillar,
  q.capability_activity_pillar,
  q.guardrail,
  q.evidence_status,
  q.peer_rank,
  q.peer_size,
  q.overall_rank,
  q.rank_low,
  q.rank_high,
  q.rank_decile_stay,
  q.tier_recommendation,
  q.recommended_tier,
  q.tier_reason,
  q.next_tier_gaps,
  f.interventions
FROM latest_partner_quality AS q
LEFT JOIN latest_partners AS p
  ON p.partner_id = q.partner_id AND p.as_of_date = q.as_of_date
LEFT JOIN flags AS f
  ON f.partner_id = q.partner_id AND f.as_of_date = q.as_of_date;
