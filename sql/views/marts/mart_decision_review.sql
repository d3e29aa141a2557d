-- Every decision record with the evidence then and now. Grain: one row per
-- decision and load (as-of date): each load's decisions, "now" being that
-- load's scores, so a decision is followed quarter by quarter. "Then" is
-- the partner's row of the latest scores on or before the decided date
-- (the snapshot the deciders had). against_evidence marks an exception
-- the snapshot did not support: a tier override above the tier its
-- recommendation led to, an exit of a partner it recommended for promotion
-- or placed above expected beyond chance, or a fund or incentive exception
-- for a partner it had under exit review.
-- Sources: stg_decisions, stg_partner_quality.
WITH snapshot AS (
  SELECT d.as_of_date, d.decision_id, MAX(q.as_of_date) AS snapshot_as_of_date
  FROM `{{dataset}}.stg_decisions` d
  JOIN `{{dataset}}.stg_partner_quality` q ON q.partner_id = d.partner_id AND q.as_of_date <= d.decided_date
  GROUP BY d.as_of_date, d.decision_id
),
tiers AS (
  SELECT 'registered' AS tier, 0 AS tier_rank UNION ALL
  SELECT 'silver', 1 UNION ALL SELECT 'gold', 2 UNION ALL SELECT 'platinum', 3
)
SELECT
  d.as_of_date,
  d.decision_id,
  d.partner_id,
  d.kind,
  d.decided_date,
  d.deciders,
  d.context,
  d.decision,
  d.decided_tier,
  d.status,
  d.review_date,
  s.snapshot_as_of_date,
  t.run_id AS snapshot_run_id,
  t.program_tier AS tier_then,
  t.evidence_status AS evidence_status_then,
  t.pqi AS pqi_then,
  t.pqi_low AS pqi_low_then,
  t.pqi_high AS pqi_high_then,
  t.tier_recommendation AS tier_recommendation_then,
  t.recommended_tier AS recommended_tier_then,
  n.evidence_status AS evidence_status_now,
  n.pqi AS pqi_now,
  n.pqi_low AS pqi_low_now,
  n.pqi_high AS pqi_high_now,
  n.tier_recommendation AS tier_recommendation_now,
  n.pqi - t.pqi AS pqi_since,
  DATE_TRUNC(COALESCE(d.review_date, d.decided_date), QUARTER) = DATE_TRUNC(d.as_of_date, QUARTER) AS review_due,
  CASE
    WHEN d.kind = 'tier_override' AND dt.tier_rank > rt.tier_rank THEN TRUE
    WHEN d.kind = 'exit' AND (t.tier_recommendation = 'promote' OR t.pqi_low > 50) THEN TRUE
    WHEN d.kind IN ('fund_exception', 'incentive_exception') AND t.tier_recommendation = 'review_exit' THEN TRUE
    ELSE FALSE
  END AS against_evidence
FROM `{{dataset}}.stg_decisions` d
LEFT JOIN snapshot s ON s.as_of_date = d.as_of_date AND s.decision_id = d.decision_id
LEFT JOIN `{{dataset}}.stg_partner_quality` t ON t.partner_id = d.partner_id AND t.as_of_date = s.snapshot_as_of_date
LEFT JOIN `{{dataset}}.stg_partner_quality` n ON n.partner_id = d.partner_id AND n.as_of_date = d.as_of_date
LEFT JOIN tiers dt ON dt.tier = d.decided_tier
LEFT JOIN tiers rt ON rt.tier = t.recommended_tier
