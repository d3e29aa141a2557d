-- cohort_metrics: the key (cohort_type, cohort, period) is unique within each as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, cohort_type, cohort, period, COUNT(*) AS n
FROM `{{dataset}}.cohort_metrics`
GROUP BY as_of_date, cohort_type, cohort, period
HAVING COUNT(*) > 1 OR cohort_type IS NULL OR cohort IS NULL OR period IS NULL
