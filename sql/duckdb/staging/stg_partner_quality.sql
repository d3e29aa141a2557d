-- The Partner Quality Index per partner and as-of quarter: the headline
-- columns analysts use (every component column stays in the raw table).
-- Source: scored table partner_quality.
CREATE OR REPLACE VIEW stg_partner_quality AS
SELECT
  as_of_date,
  partner_id,
  partner_type,
  program_tier,
  peer_group,
  pqi,
  pqi_low,
  pqi_high,
  composite_z,
  delivery_health_pillar,
  commercial_execution_pillar,
  pipeline_discipline_pillar,
  capability_activity_pillar,
  guardrail,
  guardrail_reason,
  evidence_status,
  evidence_reason,
  peer_rank,
  peer_size,
  overall_rank,
  tier_recommendation,
  recommended_tier,
  tier_reason,
  previous_pqi,
  pqi_change,
  top_contributors,
  churn_rate_ratio_direct,
  deals,
  closed_deals,
  csat_responses,
  run_id
FROM partner_quality;
