package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the peer engine

	"github.com/partnerq/pqi/transforms/schema"
)

// peer runs one DuckDB step: copy EXPORTS OUT, validate EXPORTS, or
// groupby WAREHOUSE. DuckDB uses every core, as it does by default.
func peer(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: bench peer copy|validate|groupby DIR [OUT]")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var stmts []string
	switch args[0] {
	case "copy":
		if len(args) < 3 {
			return fmt.Errorf("copy needs the output folder")
		}
		if err := os.MkdirAll(args[2], 0o755); err != nil {
			return err
		}
		for _, t := range inputs(args[1]) {
			stmts = append(stmts, fmt.Sprintf("COPY (SELECT * FROM read_csv(%s, header = true)) TO %s (FORMAT parquet)",
				lit(csvPath(args[1], t.Name)), lit(filepath.Join(args[2], t.Name+".parquet"))))
		}
	case "validate":
		stmts, err = validation(args[1])
		if err != nil {
			return err
		}
	case "groupby":
		stmts = groupBy(args[1])
	default:
		return fmt.Errorf("unknown peer step %q", args[0])
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	if args[0] == "validate" { // what it found, for a reader checking the peer
		for _, t := range inputs(args[1]) {
			var bad int64
			if err := db.QueryRow("SELECT sum(value) FROM (UNPIVOT bad_" + t.Name + " ON COLUMNS(*))").Scan(&bad); err != nil {
				return err
			}
			fmt.Printf("%s: %d rule violations\n", t.Name, bad)
		}
	}
	return nil
}

func csvPath(dir, table string) string { return filepath.Join(dir, table+".csv") }

// inputs are the contract's input tables that have a CSV export in dir,
// referenced tables first (the contract's own order).
func inputs(dir string) []schema.Table {
	var out []schema.Table
	for _, t := range schema.All() {
		if _, err := os.Stat(csvPath(dir, t.Name)); t.Input && err == nil {
			out = append(out, t)
		}
	}
	return out
}

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// validation is the contract's column rules as SQL, the way an analyst
// would check an export in DuckDB: each CSV read as text, then per column
// required, type (casts), enum and range; duplicate keys; references to
// the tables they name. Row-spanning checks (date order, status against
// dates) are Go functions in the contract and are left out, so the peer
// does less than ingest, not more. Results are materialised so that
// nothing is optimised away.
func validation(dir string) ([]string, error) {
	var stmts []string
	tables := inputs(dir)
	present := map[string]bool{}
	for _, t := range tables {
		present[t.Name] = true
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE raw_%s AS SELECT * FROM read_csv(%s, header = true, all_varchar = true)", t.Name, lit(csvPath(dir, t.Name))))
	}
	for _, t := range tables {
		header, err := headerOf(csvPath(dir, t.Name))
		if err != nil {
			return nil, err
		}
		var checks []string
		for _, c := range t.Columns {
			if !header[c.Name] {
				continue
			}
			for _, cond := range columnRules(c) {
				checks = append(checks, fmt.Sprintf("count(*) FILTER (WHERE %s)", cond))
			}
			if r := c.Ref; r != nil && present[r.Table] {
				checks = append(checks, fmt.Sprintf("(SELECT count(*) FROM raw_%s c WHERE c.%s <> '' AND NOT EXISTS (SELECT 1 FROM raw_%s p WHERE p.%s = c.%s))",
					t.Name, c.Name, r.Table, r.Column, c.Name))
			}
		}
		if len(t.Key) > 0 {
			checks = append(checks, fmt.Sprintf("count(*) - (SELECT count(*) FROM (SELECT DISTINCT %s FROM raw_%s))", strings.Join(t.Key, ", "), t.Name))
		}
		for i := range checks {
			checks[i] += fmt.Sprintf(" AS c%d", i)
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE bad_%s AS SELECT %s FROM raw_%s", t.Name, strings.Join(checks, ",\n  "), t.Name))
	}
	return stmts, nil
}

// columnRules are the conditions under which a value breaks column c.
func columnRules(c schema.Column) []string {
	v := c.Name
	var out []string
	if c.Required {
		out = append(out, fmt.Sprintf("coalesce(%s, '') = ''", v))
	}
	typed := ""
	switch c.Kind {
	case schema.Date:
		typed = "DATE"
	case schema.Money:
		typed = "DECIMAL(18,2)"
	case schema.Int:
		typed = "BIGINT"
	case schema.Bool:
		typed = "BOOLEAN"
	case schema.Enum:
		quoted := make([]string, len(c.Enum))
		for i, e := range c.Enum {
			quoted[i] = lit(e)
		}
		out = append(out, fmt.Sprintf("%s <> '' AND %s NOT IN (%s)", v, v, strings.Join(quoted, ", ")))
	}
	if typed != "" {
		out = append(out, fmt.Sprintf("%s <> '' AND try_cast(%s AS %s) IS NULL", v, v, typed))
	}
	if c.Min != nil {
		out = append(out, fmt.Sprintf("try_cast(%s AS DOUBLE) < %g", v, *c.Min))
	}
	if c.Max != nil {
		out = append(out, fmt.Sprintf("try_cast(%s AS DOUBLE) > %g", v, *c.Max))
	}
	return out
}

func headerOf(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h := map[string]bool{}
	for _, c := range strings.Split(strings.TrimSpace(line), ",") {
		h[c] = true
	}
	return h, nil
}

// groupBy is the group-by core of the score on the warehouse pqi wrote:
// each partner's deals per quarter and case-mix cell (counts, won and lost,
// amounts, registration within the deadline, qualification, attach, AE
// invitation, time to value), deal credits split equally among a deal's
// partners, CSAT per partner and quarter (count, sum, sum of squares),
// churn exposure per partner, and cost per partner, quarter and category.
// It fits and shrinks nothing, so pqi's score does more than this.
func groupBy(wh string) []string {
	part := func(t string) string {
		return fmt.Sprintf("read_parquet(%s)", lit(filepath.Join(wh, t, "as_of="+asOf, "*.parquet")))
	}
	return []string{
		"CREATE TABLE d AS SELECT * FROM " + part(schema.Deals),
		"CREATE TABLE dp AS SELECT * FROM " + part(schema.DealPartners),
		`CREATE TABLE cells AS
SELECT dp.partner_id, date_trunc('quarter', coalesce(d.closed_date, d.created_date)) AS quarter,
  d.segment, d.product_count, d.customer_maturity, d.delivery_scope,
  count(*) AS deals, count(*) FILTER (WHERE d.status = 'won') AS won, count(*) FILTER (WHERE d.status = 'lost') AS lost,
  sum(d.amount_usd) AS amount, sum(d.amount_usd) FILTER (WHERE d.status = 'won') AS won_amount,
  count(*) FILTER (WHERE d.registered_date IS NOT NULL AND d.registered_date - d.created_date <= 2) AS registered_on_time,
  count(*) FILTER (WHERE d.qualified) AS qualified, count(*) FILTER (WHERE d.services_attached) AS attached,
  count(*) FILTER (WHERE d.ae_invited) AS ae_invited,
  sum(d.first_value_date - d.closed_date) AS ttv_days, sum((d.first_value_date - d.closed_date)^2) AS ttv_days2
FROM d JOIN dp USING (deal_id)
GROUP BY ALL`,
		`CREATE TABLE credits AS
SELECT partner_id, date_trunc('quarter', created_date) AS quarter, sum(amount_usd / n) AS credited
FROM (SELECT dp.partner_id, d.created_date, d.amount_usd, count(*) OVER (PARTITION BY dp.deal_id) AS n FROM d JOIN dp USING (deal_id))
GROUP BY ALL`,
		`CREATE TABLE csat_cells AS
SELECT partner_id, date_trunc('quarter', responded_date) AS quarter, count(*) AS responses, sum(score) AS s, sum(score * score) AS s2
FROM ` + part(schema.CSAT) + ` GROUP BY ALL`,
		`CREATE TABLE churn_cells AS
SELECT partner_id, count(*) AS contracts, count(churn_date) AS churned,
  sum(least(coalesce(churn_date, DATE '` + asOf + `'), DATE '` + asOf + `') - contract_start_date) / 365.25 AS exposure_years
FROM ` + part(schema.Churn) + ` GROUP BY ALL`,
		`CREATE TABLE cost_cells AS
SELECT partner_id, date_trunc('quarter', period_start) AS quarter, category, sum(amount_usd) AS amount
FROM ` + part(schema.CostToServe) + ` GROUP BY ALL`,
	}
}
