-- Cost, pipeline and return per partner and quarter.
-- Source: scored table partner_roi.
CREATE OR REPLACE VIEW stg_partner_roi AS
SELECT
  as_of_date,
  partner_id,
  quarter_start,
  quarter,
  tail_segment,
  prev_tail_segment,
  segment_move,
  trailing_won_revenue_usd,
  revenue_share,
  cost_total_usd,
  investment_usd,
  pipeline_created_usd,
  pipeline_attributed_usd,
  won_revenue_usd,
  pipeline_per_dollar,
  momentum,
  roi_group,
  roi,
  roi_low,
  roi_high,
  roi_state,
  cost_commission_usd,
  commission_basis,
  run_id
FROM partner_roi;
