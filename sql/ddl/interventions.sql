-- Generated from transforms/schema by bigquery.DDL: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
CREATE TABLE IF NOT EXISTS `{{dataset}}.interventions` (
  as_of_date DATE NOT NULL OPTIONS(description = "Quarter-end date scored."),
  run_id STRING NOT NULL OPTIONS(description = "Score run that wrote the row."),
  partner_id STRING NOT NULL OPTIONS(description = "Partner flagged."),
  trigger STRING NOT NULL OPTIONS(description = "delivery_cusum (delivery worse than the partner's own level before), churn_vs_direct (exit warning), delivery_guardrail (failing delivery capped the PQI), pqi_low (the whole PQI interval below the PQI of the weakest low_share, default 30%, of scored partners)."),
  severity STRING NOT NULL OPTIONS(description = "high, medium or low."),
  outlook STRING NOT NULL OPTIONS(description = "not_yet (new, low evidence or improving) or not_ever (enough evidence, consistently poor)."),
  evidence STRING NOT NULL OPTIONS(description = "The numbers behind the flag, in plain words."),
  statistic FLOAT64 NOT NULL OPTIONS(description = "Value of the rule's statistic (CUSUM, lower bound of the churn rate ratio, delivery pillar upper bound, or PQI upper bound)."),
  threshold FLOAT64 NOT NULL OPTIONS(description = "Threshold the statistic crossed."),
  false_alarm_rate FLOAT64 OPTIONS(description = "Probability the rule flags a partner exactly at expectation (per as-of quarter)."),
  action STRING NOT NULL OPTIONS(description = "Recommended action.")
)
PARTITION BY as_of_date
CLUSTER BY partner_id
OPTIONS(description = "Partners flagged for intervention: one row per partner and trigger (see docs/methodology.md).", require_partition_filter = TRUE)
