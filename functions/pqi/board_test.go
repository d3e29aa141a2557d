package main

import (
	"context"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"
	"github.com/partnerq/pqi/transforms/schema"
)

// The board pack is read the way a board member who checks it would: its
// text, page by page, against SQL over the warehouse it was made from
// (DuckDB over the Parquet tables, through pqi sql).

// sqlRows runs a query in DuckDB over the warehouse's Parquet tables (with
// the views of sql/duckdb, as pqi sql does) and returns its rows' cells as
// text.
func sqlRows(t *testing.T, wh, query string) [][]string {
	t.Helper()
	ctx := context.Background()
	db, err := local.OpenDB(ctx, wh)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(ctx, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	err = local.Each(rows, func(vals []any) error {
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = local.Text(v, types[i].DatabaseTypeName())
		}
		out = append(out, cells)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func sqlFloat(t *testing.T, wh, query string) float64 {
	t.Helper()
	rows := sqlRows(t, wh, query)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%q gave %v, want one value", query, rows)
	}
	v, err := strconv.ParseFloat(rows[0][0], 64)
	if err != nil {
		t.Fatalf("%q gave %q: %v", query, rows[0][0], err)
	}
	return v
}

// usdText writes money as the report does: $1.6B, $509.8M, $12.5k.
func usdText(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "−", -v
	}
	for _, u := range []struct {
		at   float64
		unit string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.at || math.Round(v/u.at*1e4) >= 1e4 {
			return fmt.Sprintf("%s$%.1f%s", sign, v/u.at, u.unit)
		}
	}
	return fmt.Sprintf("%s$%.0f", sign, v)
}

func round(v float64, digits int) float64 {
	s := math.Pow10(digits)
	return math.Round(v*s) / s
}

// signedText writes a change as the report does: +1.9, −1.5, 0.0.
func signedText(v float64, digits int) string {
	s := fmt.Sprintf("%+.*f", digits, v)
	if strings.Trim(s, "+-0.") == "" {
		return fmt.Sprintf("%.*f", digits, 0.0)
	}
	return strings.Replace(s, "-", "−", 1)
}

// boardPages is the report's text in drawing order (pdftotext -raw), one
// string per page with its whitespace folded to single spaces.
func boardPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	var pages []string
	for _, p := range strings.Split(string(out), "\f") {
		pages = append(pages, strings.Join(strings.Fields(p), " "))
	}
	return pages
}

// sectionPages are the pages of the section whose title starts them.
func sectionPages(pages []string, title string) []string {
	var out []string
	for _, p := range pages {
		if strings.HasPrefix(p, title+" ") || strings.HasPrefix(p, title+" (continued)") {
			out = append(out, p)
		}
	}
	return out
}

func TestBoardPackAgreesWithTheWarehouse(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := pqi("--log-level", "error", "demo", "--dir", dir, "--partners", "200"); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	wh := filepath.Join(dir, "warehouse")
	pages := boardPages(t, filepath.Join(dir, "board-report-2026-Q3.pdf"))
	all := strings.Join(pages, " ")
	summary := strings.Join(sectionPages(pages, "Executive summary"), " ")
	want := func(where, text, s string) {
		t.Helper()
		if !strings.Contains(text, s) {
			t.Errorf("%s does not say %q", where, s)
		}
	}
	const now, prev = "DATE '2026-09-30'", "DATE '2026-06-30'"
	if n := sqlFloat(t, wh, "SELECT count(DISTINCT as_of_date) FROM partner_quality"); n != 8 {
		t.Errorf("the demo warehouse holds %.0f scored quarters, want 8", n)
	}
	scored := func(at string) (float64, float64, float64) {
		r := sqlRows(t, wh, "SELECT median(pqi) FILTER (WHERE evidence_status = 'scored'), count(*) FILTER (WHERE evidence_status = 'scored'), count(*) FROM partner_quality WHERE as_of_date = "+at)[0]
		med, _ := strconv.ParseFloat(r[0], 64)
		n, _ := strconv.ParseFloat(r[1], 64)
		all, _ := strconv.ParseFloat(r[2], 64)
		return med, n, all
	}
	// headline: the median PQI, and its change on what last quarter published
	med, n, partners := scored(now)
	medPrev, nPrev, partnersPrev := scored(prev)
	want("the PQI tile", summary, fmt.Sprintf("Ecosystem PQI (median) %.1f", med))
	want("the PQI tile", summary, fmt.Sprintf("%s points on last quarter median of the %.0f scored partners", signedText(round(med, 1)-round(medPrev, 1), 1), n))
	// headline: the share scored
	share, sharePrev := n/partners, nPrev/partnersPrev
	want("the scored tile", summary, fmt.Sprintf("Partners scored %.1f%%", 100*share))
	want("the scored tile", summary, fmt.Sprintf("%s pp on last quarter %.0f of %.0f partners", signedText(round(100*share, 1)-round(100*sharePrev, 1), 1), n, partners))
	want("the trust paragraph", summary, fmt.Sprintf("%.0f of %.0f partners (%.0f%%) have enough evidence", n, partners, 100*share))
	// headlines: money of the quarter, from segment_roi
	quarter := func(col, q string) float64 {
		return sqlFloat(t, wh, fmt.Sprintf("SELECT sum(%s) FROM segment_roi WHERE as_of_date = %s AND quarter = '%s'", col, now, q))
	}
	won, wonPrev := quarter(schema.WonRevenueUSD, "2026-Q3"), quarter(schema.WonRevenueUSD, "2026-Q2")
	cost, costPrev := quarter(schema.CostTotalUSD, "2026-Q3"), quarter(schema.CostTotalUSD, "2026-Q2")
	pipe := quarter(schema.PipelineCreatedUSD, "2026-Q3")
	want("the revenue tile", summary, "Revenue through partners "+usdText(won))
	want("the cost tile", summary, "Cost to serve "+usdText(cost))
	want("the pipeline tile", summary, fmt.Sprintf("Pipeline per dollar $%.2f", pipe/cost))
	printed := func(v float64) float64 { // usd's rounding, in dollars
		s := usdText(v)
		f, _ := strconv.ParseFloat(strings.TrimRight(strings.TrimPrefix(s, "$"), "BMk"), 64)
		return f * map[byte]float64{'B': 1e9, 'M': 1e6, 'k': 1e3}[s[len(s)-1]]
	}
	if d := printed(won) - printed(wonPrev); d > 0 {
		want("the revenue tile", summary, "▲ +"+usdText(d))
	}
	if d := printed(cost) - printed(costPrev); d > 0 {
		want("the cost tile", summary, "▲ +"+usdText(d))
	}
	// the flags: partners, not rows
	flags := sqlRows(t, wh, "SELECT count(*), count(DISTINCT partner_id) FROM interventions WHERE as_of_date = "+now)[0]
	want("the interventions page", all, fmt.Sprintf("%s partners are flagged, with %s flags between them", flags[1], flags[0]))
	if f, _ := strconv.Atoi(flags[1]); f > 1 {
		want("the largest risk", summary, fmt.Sprintf("%d other partners are also flagged", f-1))
	}
	// the decisions: the summary's counts are the appendix's rows
	counts := map[string]int{}
	for _, r := range sqlRows(t, wh, "SELECT tier_recommendation, count(*) FROM partner_quality WHERE as_of_date = "+now+" GROUP BY 1") {
		counts[r[0]], _ = strconv.Atoi(r[1])
	}
	want("the decision needed", summary, fmt.Sprintf("Approve or overrule %d partners for exit review, %d demotions and %d promotions",
		counts["review_exit"], counts["demote"], counts["promote"]))
	want("the decision needed", summary, fmt.Sprintf("%d partners keep their tier but are short of a requirement", counts["at_risk"]))
	appendix := strings.Join(sectionPages(pages, "Decisions to approve"), " ")
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`\((P\d+)\)`).FindAllStringSubmatch(appendix, -1) {
		listed[m[1]] = true
	}
	decided := sqlRows(t, wh, "SELECT partner_id FROM partner_quality WHERE as_of_date = "+now+" AND tier_recommendation <> 'hold' ORDER BY 1")
	if len(listed) != len(decided) || len(decided) != counts["review_exit"]+counts["demote"]+counts["promote"]+counts["at_risk"] {
		t.Errorf("the appendix lists %d partners; partner_quality has %d recommendations other than hold", len(listed), len(decided))
	}
	for _, r := range decided {
		if !listed[r[0]] {
			t.Errorf("partner %s has a recommendation the appendix does not list", r[0])
		}
	}
	// finance: pipeline per dollar of cost to serve, per segment over the window
	finance := strings.Join(sectionPages(pages, "Finance"), " ")
	for _, r := range sqlRows(t, wh, "SELECT tail_segment, sum(pipeline_created_usd) / sum(cost_total_usd) FROM segment_roi WHERE as_of_date = "+now+" AND quarter = 'window' GROUP BY 1") {
		v, _ := strconv.ParseFloat(r[1], 64)
		want("the finance table", finance, fmt.Sprintf("%s $%.2f", usdText(sqlFloat(t, wh, fmt.Sprintf(
			"SELECT sum(won_revenue_usd) FROM segment_roi WHERE as_of_date = %s AND quarter = 'window' AND tail_segment = '%s'", now, r[0]))), v))
	}
	want("the finance page", finance, "What the figures support")
	// cohorts: the headline compares cohorts whose year lies inside the data
	year := sqlRows(t, wh, "SELECT cohort, activation_rate FROM cohort_metrics WHERE as_of_date = "+now+
		" AND cohort_type = 'join_quarter' AND period = 3 AND NOT before_data AND activation_rate IS NOT NULL ORDER BY cohort")
	if len(year) >= 2 {
		newest, oldest := year[len(year)-1], year[0]
		a, _ := strconv.ParseFloat(newest[1], 64)
		b, _ := strconv.ParseFloat(oldest[1], 64)
		want("the cohort headline", all, fmt.Sprintf("Of the partners who joined in %s, %.0f%% had registered a deal within a year, against %.0f%% of those who joined in %s.",
			newest[0], 100*a, 100*b, oldest[0]))
	}
	before := sqlRows(t, wh, "SELECT DISTINCT cohort FROM cohort_metrics WHERE as_of_date = "+now+" AND cohort_type = 'join_quarter' AND before_data ORDER BY 1")
	if len(before) == 0 {
		t.Error("the demo's partners that joined before its deals begin are not marked before data")
	}
	for _, r := range before {
		if strings.Contains(all, "joined in "+r[0]) {
			t.Errorf("a headline uses cohort %s, which joined before the data", r[0])
		}
	}

	// decision records: the report lists those decided this quarter and
	// those due for review, with the evidence then and now, and marks the
	// ones against the evidence exactly as mart_decision_review does
	listedDecisions := sqlRows(t, wh, "SELECT decision_id, against_evidence, pqi_then, pqi_low_then, pqi_high_then, pqi_now, decided_date > DATE '2026-06-30', review_due "+
		"FROM mart_decision_review WHERE as_of_date = "+now+" AND (decided_date > DATE '2026-06-30' OR review_due) ORDER BY decision_id")
	decidedNow, due, against := 0, 0, 0
	for _, r := range listedDecisions {
		if r[6] == "true" {
			decidedNow++
		}
		if r[7] == "true" {
			due++
		}
		mark := ""
		if r[1] == "true" {
			against++
			mark = "● "
		}
		if !regexp.MustCompile(`(^| )` + regexp.QuoteMeta(mark+r[0]) + ` `).MatchString(all) {
			t.Errorf("decision %s (against the evidence: %s) is not listed as %q", r[0], r[1], mark+r[0])
		}
		if r[2] != "NULL" && r[5] != "NULL" {
			then, _ := strconv.ParseFloat(r[2], 64)
			lo, _ := strconv.ParseFloat(r[3], 64)
			hi, _ := strconv.ParseFloat(r[4], 64)
			now, _ := strconv.ParseFloat(r[5], 64)
			want(r[0]+"'s row", all, fmt.Sprintf("%.1f (%.0f–%.0f) → %.1f", then, lo, hi, now))
		}
	}
	if len(listedDecisions) == 0 || due == 0 {
		t.Errorf("the demo has %d decisions to list, %d due for review", len(listedDecisions), due)
	}
	want("the exceptions on record", all, fmt.Sprintf("%d exceptions decided this quarter and %d reviews due; %d went against the evidence", decidedNow, due, against))

	t.Run("every partner name is followed by its id", func(t *testing.T) {
		ids := map[string][]string{}
		for _, r := range sqlRows(t, wh, "SELECT partner_name, partner_id FROM partners WHERE as_of_date = "+now) {
			ids[r[0]] = append(ids[r[0]], r[1])
		}
		for _, r := range sqlRows(t, wh, "SELECT DISTINCT applicant_name, applicant_id FROM applications WHERE as_of_date = "+now+" AND applicant_name IS NOT NULL") {
			ids[r[0]] = append(ids[r[0]], r[1])
		}
		names := make([]string, 0, len(ids))
		for n := range ids {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) }) // a longer name covers the shorter one inside it
		covered := make([]bool, len(all))
		checked := 0
		for _, name := range names {
			for at := 0; ; {
				i := strings.Index(all[at:], name)
				if i < 0 {
					break
				}
				i += at
				at = i + len(name)
				if covered[i] {
					continue
				}
				for j := i; j < at; j++ {
					covered[j] = true
				}
				checked++
				ok := false
				for _, id := range ids[name] {
					ok = ok || strings.HasPrefix(all[at:], " ("+id+")")
				}
				if !ok {
					t.Errorf("%q is not followed by its id: …%s…", name, all[max(0, i-40):min(len(all), at+30)])
				}
			}
		}
		if checked < 50 {
			t.Errorf("only %d partner names found in the report", checked)
		}
	})

	t.Run("no column name outside the methodology's list", func(t *testing.T) {
		method := strings.Join(sectionPages(pages, "Methodology"), " ")
		cut := strings.Index(method, "Where the numbers come from")
		if cut < 0 {
			t.Fatal("the methodology does not say where the numbers come from")
		}
		body := strings.Replace(all, method, method[:cut], 1)
		for _, tb := range schema.All() {
			for _, c := range tb.Stored() {
				if strings.Contains(c.Name, "_") && regexp.MustCompile(`\b`+c.Name+`\b`).MatchString(body) {
					t.Errorf("column %s.%s appears in the report's text", tb.Name, c.Name)
				}
			}
		}
	})
}
