-- Long-tail ROI by segment and quarter. Grain: one row per as_of_date,
-- quarter and tail_segment (head, torso, long_tail); quarters only, so a
-- SUM over quarters is the window's total (the whole-window row is
-- mart_long_tail_roi_window). Cost against pipeline and the marginal return
-- of one more dollar, with its bootstrap interval. Source: stg_segment_roi.
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
  marginal_roi,
  marginal_roi_low,
  marginal_roi_high,
  roi_state,
  cost_commission_usd,
  commission_basis
FROM `{{dataset}}.stg_segment_roi`
WHERE quarter != 'window'
