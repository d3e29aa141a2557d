-- Who are the ten best partners right now, and what moved them? Scored
-- partners of the latest scorecard by PQI, with the interval and drivers.
SELECT partner_id, partner_name, partner_type, program_tier,
  ROUND(pqi, 1) AS pqi, ROUND(pqi_low, 1) AS pqi_low, ROUND(pqi_high, 1) AS pqi_high,
  ROUND(pqi_change, 1) AS pqi_change, top_contributors, tier_recommendation
FROM `{{dataset}}.mart_latest_scorecard`
WHERE evidence_status = 'scored'
ORDER BY pqi DESC, partner_id
LIMIT 10
