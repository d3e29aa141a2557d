-- churn: (customer_id, partner_id, contract_start_date) is unique within
-- the latest as-of date; partner_id may be null (a direct customer).
SELECT as_of_date, customer_id, partner_id, contract_start_date, COUNT(*) AS n
FROM (SELECT * FROM `{{dataset}}.churn` WHERE as_of_date = {{latest_as_of}})
GROUP BY as_of_date, customer_id, partner_id, contract_start_date
HAVING COUNT(*) > 1 OR customer_id IS NULL OR contract_start_date IS NULL
