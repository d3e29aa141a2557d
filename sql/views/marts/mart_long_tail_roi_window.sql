-- Long-tail ROI by segment over the whole scoring window. Grain: one row
-- per as_of_date and tail_segment (head, torso, long_tail). The window's
-- cost, pipeline and the pooled marginal return of one more dollar, with
-- its bootstrap interval; the quarters it sums are
-- mart_long_tail_roi_by_segment. Source: stg_segment_roi.
SELECT
  as_of_date,
  tail_segment,
  partner_quarters,
  cost_total_usd,
  investment_usd,
  pipeline_created_usd,
  won_revenue_usd,
  average_return,
  invested_partner_quarters,
  pipeline_lift_usd,
  incremental_spend_usd,
  marginal_roi,
  marginal_roi_low,
  marginal_roi_high,
  roi_state,
  cost_commission_usd,
  commission_basis
FROM `{{dataset}}.stg_segment_roi`
WHERE quarter = 'window'
