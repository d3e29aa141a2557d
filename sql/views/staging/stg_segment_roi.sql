-- Cost, pipeline and marginal return per long-tail segment and quarter
-- (quarter = 'window' for the whole window). Source: scored table segment_roi.
SELECT
  as_of_date,
  quarter,
  quarter_start,
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
  commission_basis,
  run_id
FROM `{{dataset}}.segment_roi`
