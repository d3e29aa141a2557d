-- Do partner-served customers churn less than direct ones? Churned share of
-- contracts and of ARR, partner versus direct, latest as-of date.
SELECT
  IF(is_direct, 'direct', 'partner') AS served_by,
  COUNT(*) AS contracts,
  COUNTIF(churned) AS churned,
  ROUND(COUNTIF(churned) / NULLIF(COUNT(*), 0), 4) AS churned_share,
  SUM(arr_usd) AS arr_usd,
  ROUND(SUM(IF(churned, arr_usd, 0)) / NULLIF(SUM(arr_usd), 0), 4) AS churned_arr_share
FROM `{{dataset}}.latest_churn`
GROUP BY served_by
ORDER BY served_by
