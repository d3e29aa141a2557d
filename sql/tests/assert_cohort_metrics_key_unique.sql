-- cohort_metrics: the key (cohort_type, cohort, period) is unique at the latest as-of date and its
-- required parts are not null. Returns the offending keys.
SELECT as_of_date, cohort_type, cohort, period, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, cohort_type, cohort, period
HAVING COUNT(*) > 1 OR cohort_type IS NULL OR cohort IS NULL OR period IS NULL
