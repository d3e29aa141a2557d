package validate

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

var asOf, _ = schema.ParseDay("2026-09-30")

// batch builds a string record from a header and rows; "\x00" is null.
func batch(alloc memory.Allocator, header []string, rows [][]string) (arrow.Record, []Line) {
	fields := make([]arrow.Field, len(header))
	for i, h := range header {
		fields[i] = arrow.Field{Name: h, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	b := array.NewRecordBuilder(alloc, arrow.NewSchema(fields, nil))
	defer b.Release()
	lines := make([]Line, len(rows))
	for r, row := range rows {
		for i, v := range row {
			if v == "\x00" {
				b.Field(i).AppendNull()
			} else {
				b.Field(i).(*array.StringBuilder).Append(v)
			}
		}
		lines[r] = Line{Number: int64(r + 2)}
	}
	return b.NewRecord(), lines
}

var goodRows = map[string]map[string]string{
	schema.Partners: {
		"partner_id": "P1", "partner_name": "Zürich Daten AG", "partner_type": "si", "program_tier": "gold",
		"region": "EMEA", "vertical": "healthcare", "capability": "advisory", "joined_date": "2024-01-15",
		"certified_staff": "3", "total_staff": "10", "case_studies": "2",
	},
	schema.Deals: {
		"deal_id": "D1", "customer_id": "C1", "created_date": "2026-01-10", "closed_date": "2026-03-01",
		"status": "won", "amount_usd": "12500.50", "segment": "enterprise", "product_count": "2",
		"customer_maturity": "new", "delivery_scope": "transformation", "qualified": "true",
		"registered_date": "2026-01-11", "ae_invited": "no", "services_attached": "1",
		"first_value_date": "2026-04-01", "via_marketplace": "false",
	},
	schema.DealPartners: {"deal_id": "D1", "partner_id": "P1", "role": "sourced"},
	schema.CSAT: {
		"response_id": "R1", "partner_id": "P1", "customer_id": "C1", "deal_id": "D1",
		"responded_date": "2026-04-10", "score": "4",
	},
	schema.Churn: {
		"customer_id": "C1", "partner_id": "P1", "contract_start_date": "2026-03-01",
		"churn_date": "\x00", "arr_usd": "5000",
	},
	schema.CostToServe: {
		"partner_id": "P1", "period_start": "2026-07-01", "category": "mdf", "amount_usd": "1500.00", "hours": "12.5",
	},
	schema.Applications: {
		"applicant_id": "APP-1", "applicant_name": "Łódź Integracja", "assessed_date": "2026-08-12", "assessor": "j.alvarez",
		"criterion": "market_alignment", "score": "3", "evidence_note": "80% of pipeline in our ICP verticals",
	},
	schema.Decisions: {
		"decision_id": "DEC-1", "partner_id": "P1", "kind": "tier_override", "decided_date": "2026-08-20", "deciders": "a.novak; m.okafor",
		"context": "strategic account in the north region", "decision": "keep gold despite the recommendation to demote", "decided_tier": "gold",
		"status": "approved", "review_date": "2026-12-31",
	},
}

// keysFor returns a registry in which partner P1 and deal D1 exist, as
// they do when table loads (its own keys are not loaded yet).
func keysFor(table string) *Keys {
	k := NewKeys()
	if table != schema.Partners {
		k.load(schema.Partners, digestOf("P1"), loc{file: k.fileIndex("partners.csv"), row: 2})
	}
	if table != schema.Partners && table != schema.Deals {
		k.load(schema.Deals, digestOf("D1"), loc{file: k.fileIndex("deals.csv"), row: 2})
	}
	return k
}

func row(table string, change map[string]string) ([]string, []string) {
	t := schema.Get(table)
	header := t.Names()
	vals := make([]string, len(header))
	for i, h := range header {
		vals[i] = goodRows[table][h]
		if v, ok := change[h]; ok {
			vals[i] = v
		}
	}
	return header, vals
}

// run validates the given rows of table and returns accepted count and rejects.
func run(t *testing.T, table string, keys *Keys, m Mapping, rows ...map[string]string) (int, []Reject) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(table)
	var header []string
	var data [][]string
	for _, ch := range rows {
		h, vals := row(table, ch)
		header = h
		data = append(data, vals)
	}
	v, _, err := New(Config{Table: tb, Mapping: m, AsOf: asOf, RunID: "r1", Keys: keys}, table+".csv", header)
	if err != nil {
		t.Fatal(err)
	}
	rec, lines := batch(alloc, header, data)
	defer rec.Release()
	acc, rej := v.Batch(rec, lines)
	defer acc.Release()
	if !acc.Schema().Equal(tb.StoredArrow()) {
		t.Fatalf("accepted schema\n%s\nwant\n%s", acc.Schema(), tb.StoredArrow())
	}
	if int(acc.NumRows())+len(rej) != len(rows) {
		t.Fatalf("read %d rows but accepted %d + rejected %d", len(rows), acc.NumRows(), len(rej))
	}
	return int(acc.NumRows()), rej
}

func TestGoodRowsAreAccepted(t *testing.T) {
	for _, table := range schema.InputOrder {
		if n, rej := run(t, table, keysFor(table), Mapping{}, nil); n != 1 {
			t.Errorf("%s: good row rejected: %+v", table, rej)
		}
	}
}

// Every rule of the contract, each breaking one good row.
func TestEveryRuleRejectsItsRow(t *testing.T) {
	cases := []struct {
		name, table string
		change      map[string]string
		column      string
		reason      string
		code        schema.ReasonCode
	}{
		{"partner id missing", schema.Partners, map[string]string{"partner_id": ""}, "partner_id", "missing required partner_id", schema.ReasonMissingRequired},
		{"partner name missing", schema.Partners, map[string]string{"partner_name": "\x00"}, "partner_name", "missing required partner_name", schema.ReasonMissingRequired},
		{"partner type unknown", schema.Partners, map[string]string{"partner_type": "distributor"}, "partner_type", `partner_type "distributor" is not one of si, isv`, schema.ReasonUnknownEnum},
		{"tier unknown", schema.Partners, map[string]string{"program_tier": "diamond"}, "program_tier", "is not one of registered", schema.ReasonUnknownEnum},
		{"capability unknown", schema.Partners, map[string]string{"capability": "magic"}, "capability", "is not one of staffing", schema.ReasonUnknownEnum},
		{"joined in the future", schema.Partners, map[string]string{"joined_date": "2026-10-01"}, "joined_date", "joined_date is after the as-of date", schema.ReasonFutureDate},
		{"joined not a date", schema.Partners, map[string]string{"joined_date": "31/02/2026"}, "joined_date", `joined_date "31/02/2026" is not a date`, schema.ReasonNotADate},
		{"certified above total", schema.Partners, map[string]string{"certified_staff": "11"}, "certified_staff", "certified_staff is greater than total_staff", schema.ReasonInconsistentCounts},
		{"negative staff", schema.Partners, map[string]string{"total_staff": "-1"}, "total_staff", "total_staff -1 is negative", schema.ReasonOutOfRange},
		{"staff not a number", schema.Partners, map[string]string{"total_staff": "ten"}, "total_staff", "is not a whole number", schema.ReasonNotANumber},
		{"negative case studies", schema.Partners, map[string]string{"case_studies": "-2"}, "case_studies", "is negative", schema.ReasonOutOfRange},

		{"deal id missing", schema.Deals, map[string]string{"deal_id": ""}, "deal_id", "missing required deal_id", schema.ReasonMissingRequired},
		{"customer missing", schema.Deals, map[string]string{"customer_id": ""}, "customer_id", "missing required customer_id", schema.ReasonMissingRequired},
		{"created missing", schema.Deals, map[string]string{"created_date": ""}, "created_date", "missing required created_date", schema.ReasonMissingRequired},
		{"closed before created", schema.Deals, map[string]string{"closed_date": "2026-01-01"}, "closed_date", "closed_date is before created_date", schema.ReasonDateOrder},
		{"closed date on open deal", schema.Deals, map[string]string{"status": "open", "first_value_date": ""}, "closed_date", "an open deal has a closed_date", schema.ReasonStatusDateMismatch},
		{"won deal without close", schema.Deals, map[string]string{"closed_date": "", "first_value_date": ""}, "closed_date", "a won or lost deal has no closed_date", schema.ReasonStatusDateMismatch},
		{"status unknown", schema.Deals, map[string]string{"status": "closed-won"}, "status", `status "closed-won" is not one of open, won, lost`, schema.ReasonUnknownEnum},
		{"negative amount", schema.Deals, map[string]string{"amount_usd": "-5"}, "amount_usd", "amount_usd -5 is negative", schema.ReasonOutOfRange},
		{"amount not a number", schema.Deals, map[string]string{"amount_usd": "12k"}, "amount_usd", "is not a decimal amount", schema.ReasonNotANumber},
		{"segment unknown", schema.Deals, map[string]string{"segment": "giant"}, "segment", "is not one of enterprise", schema.ReasonUnknownEnum},
		{"no products", schema.Deals, map[string]string{"product_count": "0"}, "product_count", "product_count 0 is below the minimum 1", schema.ReasonOutOfRange},
		{"maturity unknown", schema.Deals, map[string]string{"customer_maturity": "old"}, "customer_maturity", "is not one of new", schema.ReasonUnknownEnum},
		{"scope unknown", schema.Deals, map[string]string{"delivery_scope": "all"}, "delivery_scope", "is not one of advisory", schema.ReasonUnknownEnum},
		{"qualified not bool", schema.Deals, map[string]string{"qualified": "maybe"}, "qualified", `qualified "maybe" is not a boolean`, schema.ReasonNotABoolean},
		{"first value before close", schema.Deals, map[string]string{"first_value_date": "2026-02-01"}, "first_value_date", "first_value_date is before closed_date", schema.ReasonDateOrder},
		{"first value on open deal", schema.Deals, map[string]string{"status": "open", "closed_date": ""}, "first_value_date", "first_value_date is set on a deal that has not closed", schema.ReasonStatusDateMismatch},
		{"registered not a date", schema.Deals, map[string]string{"registered_date": "soon"}, "registered_date", "is not a date", schema.ReasonNotADate},

		{"deal partner unknown deal", schema.DealPartners, map[string]string{"deal_id": "D404"}, "deal_id", `deal_id "D404" does not exist in deals`, schema.ReasonUnknownReference},
		{"deal partner unknown partner", schema.DealPartners, map[string]string{"partner_id": "P404"}, "partner_id", `partner_id "P404" does not exist in partners`, schema.ReasonUnknownReference},
		{"deal partner role unknown", schema.DealPartners, map[string]string{"role": "owner"}, "role", "is not one of sourced", schema.ReasonUnknownEnum},

		{"csat of 7", schema.CSAT, map[string]string{"score": "7"}, "score", "score 7 is outside 1..5", schema.ReasonOutOfRange},
		{"csat of 0", schema.CSAT, map[string]string{"score": "0"}, "score", "score 0 is outside 1..5", schema.ReasonOutOfRange},
		{"csat unknown partner", schema.CSAT, map[string]string{"partner_id": "P404"}, "partner_id", "does not exist in partners", schema.ReasonUnknownReference},
		{"csat unknown deal", schema.CSAT, map[string]string{"deal_id": "D404"}, "deal_id", "does not exist in deals", schema.ReasonUnknownReference},
		{"csat response missing", schema.CSAT, map[string]string{"response_id": ""}, "response_id", "missing required response_id", schema.ReasonMissingRequired},
		{"csat date missing", schema.CSAT, map[string]string{"responded_date": ""}, "responded_date", "missing required responded_date", schema.ReasonMissingRequired},

		{"churn before start", schema.Churn, map[string]string{"churn_date": "2026-02-01"}, "churn_date", "churn_date is before contract_start_date", schema.ReasonDateOrder},
		{"churn unknown partner", schema.Churn, map[string]string{"partner_id": "P404"}, "partner_id", "does not exist in partners", schema.ReasonUnknownReference},
		{"churn negative arr", schema.Churn, map[string]string{"arr_usd": "-1"}, "arr_usd", "is negative", schema.ReasonOutOfRange},
		{"churn start missing", schema.Churn, map[string]string{"contract_start_date": ""}, "contract_start_date", "missing required", schema.ReasonMissingRequired},

		{"cost mid-month", schema.CostToServe, map[string]string{"period_start": "2026-07-15"}, "period_start", "period_start is not the first day of a month", schema.ReasonNotFirstOfMonth},
		{"cost category unknown", schema.CostToServe, map[string]string{"category": "travel"}, "category", "is not one of enablement", schema.ReasonUnknownEnum},
		{"cost negative", schema.CostToServe, map[string]string{"amount_usd": "-10"}, "amount_usd", "is negative", schema.ReasonOutOfRange},
		{"cost amount missing", schema.CostToServe, map[string]string{"amount_usd": ""}, "amount_usd", "missing required amount_usd", schema.ReasonMissingRequired},
		{"cost negative hours", schema.CostToServe, map[string]string{"hours": "-1"}, "hours", "is negative", schema.ReasonOutOfRange},
		{"cost unknown partner", schema.CostToServe, map[string]string{"partner_id": "P404"}, "partner_id", "does not exist in partners", schema.ReasonUnknownReference},

		{"decision unknown partner", schema.Decisions, map[string]string{"partner_id": "P404"}, "partner_id", "does not exist in partners", schema.ReasonUnknownReference},
		{"decision kind unknown", schema.Decisions, map[string]string{"kind": "bonus"}, "kind", "is not one of tier_override", schema.ReasonUnknownEnum},
		{"decision without deciders", schema.Decisions, map[string]string{"deciders": ""}, "deciders", "missing required deciders", schema.ReasonMissingRequired},
		{"decision in the future", schema.Decisions, map[string]string{"decided_date": "2026-10-02"}, "decided_date", "decided_date is after the as-of date", schema.ReasonFutureDate},
		{"review before decision", schema.Decisions, map[string]string{"review_date": "2026-08-01"}, "review_date", "review_date is before decided_date", schema.ReasonDateOrder},
		{"tier override without tier", schema.Decisions, map[string]string{"decided_tier": ""}, "decided_tier", "a tier override has no decided_tier", schema.ReasonMissingRequired},
		{"decision status unknown", schema.Decisions, map[string]string{"status": "pending"}, "status", "is not one of proposed", schema.ReasonUnknownEnum},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, rej := run(t, c.table, keysFor(c.table), Mapping{}, c.change)
			if n != 0 || len(rej) != 1 {
				t.Fatalf("accepted %d, rejected %d; want the row rejected", n, len(rej))
			}
			r := rej[0]
			if r.Column != c.column || !strings.Contains(r.Reason, c.reason) || r.Code != c.code {
				t.Fatalf("rejected on %s (%s): %q\nwant column %s (%s) with %q", r.Column, r.Code, r.Reason, c.column, c.code, c.reason)
			}
			if !strings.Contains(r.Reason, "(fix: ") {
				t.Fatalf("reason without a fix: %q", r.Reason)
			}
			if r.Row != 2 {
				t.Fatalf("row %d, want 2", r.Row)
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(r.Record), &rec); err != nil || len(rec) == 0 {
				t.Fatalf("record %q does not keep the row", r.Record)
			}
		})
	}
}

func TestDuplicateKeysKeepTheFirst(t *testing.T) {
	for _, table := range schema.InputOrder {
		n, rej := run(t, table, keysFor(table), Mapping{}, nil, nil)
		if n != 1 || len(rej) != 1 {
			t.Fatalf("%s: accepted %d rejected %d, want 1 and 1", table, n, len(rej))
		}
		if !strings.Contains(rej[0].Reason, "duplicate key") || !strings.Contains(rej[0].Reason, "row 2 already loaded it") || rej[0].Row != 3 {
			t.Fatalf("%s: %+v", table, rej[0])
		}
	}
}

// A TIMESTAMP column (Parquet, BigQuery) arrives as RFC 3339 text in UTC:
// its date is the one it is written with; a timestamp that is not one is
// still not a date.
func TestTimestampsAreTheirDate(t *testing.T) {
	for v, ok := range map[string]bool{
		"2026-01-15T00:00:00Z": true, "2026-01-15T23:59:59.123456Z": true, "2026-01-15T10:00:00+02:00": true,
		"2026-01-15T25:00:00Z": false, "2026-02-30T00:00:00Z": false, "2026-01-15 10:00": false,
	} {
		n, rej := run(t, schema.Partners, keysFor(schema.Partners), Mapping{}, map[string]string{"joined_date": v})
		if (n == 1) != ok {
			t.Errorf("joined_date %q: accepted %d, rejects %+v; want accepted %v", v, n, rej, ok)
		}
	}
}

func TestReferenceToQuarantinedRowSaysSo(t *testing.T) {
	keys := NewKeys()
	if n, _ := run(t, schema.Partners, keys, Mapping{}, map[string]string{"joined_date": "2027-01-01"}); n != 0 {
		t.Fatal("future partner accepted")
	}
	keys.load(schema.Deals, digestOf("D1"), loc{file: keys.fileIndex("deals.csv"), row: 2})
	_, rej := run(t, schema.DealPartners, keys, Mapping{}, nil)
	if len(rej) != 1 || !strings.Contains(rej[0].Reason, `partner_id "P1" was quarantined in partners`) {
		t.Fatalf("%+v", rej)
	}
}

func TestMissingRequiredColumnFailsTheFile(t *testing.T) {
	tb := schema.Get(schema.Deals)
	header := []string{"deal_id", "created_date", "status"}
	_, _, err := New(Config{Table: tb, AsOf: asOf, Keys: NewKeys()}, "exports/deals.csv", header)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a FileError", err)
	}
	msg := err.Error()
	for _, want := range []string{"exports/deals.csv", `missing required column "customer_id"`, "fix:", "mappings/deals.yaml"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestMappingRenamesParsesAndDefaults(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.Deals)
	m := Mapping{
		Columns: map[string]string{
			"deal_id": "Opportunity ID", "customer_id": "Account", "created_date": "Created",
			"closed_date": "Close Date", "status": "Stage", "amount_usd": "Amount",
		},
		DateLayout:         "1/2/2006",
		Values:             map[string]map[string]string{"status": {"Closed Won": "won", "Closed Lost": "lost", "Negotiation": "open"}},
		Defaults:           map[string]string{"via_marketplace": "false", "product_count": "1"},
		ThousandsSeparator: ",",
		CurrencySymbols:    []string{"$"},
	}
	if err := m.Check(tb, "deals.yaml"); err != nil {
		t.Fatal(err)
	}
	header := []string{"Opportunity ID", "Account", "Created", "Close Date", "Stage", "Amount", "Owner"}
	v, ignored, err := New(Config{Table: tb, Mapping: m, AsOf: asOf, RunID: "r", Keys: NewKeys()}, "crm.csv", header)
	if err != nil {
		t.Fatal(err)
	}
	if len(ignored) != 1 || ignored[0] != "Owner" {
		t.Fatalf("ignored %v, want [Owner]", ignored)
	}
	rec, lines := batch(alloc, header, [][]string{
		{"006A", "ACME", "3/9/2026", "7/1/2026", "closed won", "$12,500.50", "kim"},
		{"006B", "ACME", "3/9/2026", "", "Negotiation", "900", "kim"},
		{"006C", "ACME", "13/9/2026", "", "Negotiation", "900", "kim"},
	})
	defer rec.Release()
	acc, rej := v.Batch(rec, lines)
	defer acc.Release()
	if acc.NumRows() != 2 || len(rej) != 1 || rej[0].Column != "created_date" || rej[0].Row != 4 {
		t.Fatalf("accepted %d, rejects %+v", acc.NumRows(), rej)
	}
	col := func(name string) arrow.Array { return acc.Column(acc.Schema().FieldIndices(name)[0]) }
	if got := col("status").(*array.String).Value(0); got != "won" {
		t.Errorf("status %q, want won", got)
	}
	if got := schema.Day(col("created_date").(*array.Date32).Value(0)).String(); got != "2026-03-09" {
		t.Errorf("created %s, want 2026-03-09 (US layout)", got)
	}
	if got := col("amount_usd").(*array.Decimal128).Value(0).LowBits(); got != 1250050 {
		t.Errorf("amount %d cents, want 1250050", got)
	}
	if got := col("product_count").(*array.Int64).Value(1); got != 1 {
		t.Errorf("default product_count %d, want 1", got)
	}
	if !col("segment").IsNull(0) {
		t.Error("absent optional column should be null")
	}
	if got := col("source_row").(*array.Int64).Value(1); got != 3 {
		t.Errorf("source_row %d, want 3", got)
	}
}

func TestMappingCheckNamesTheMistake(t *testing.T) {
	tb := schema.Get(schema.Deals)
	for _, c := range []struct {
		m    Mapping
		want string
	}{
		{Mapping{Columns: map[string]string{"deal": "Id"}}, `"deal" is not a column of deals`},
		{Mapping{DateLayout: "mm/dd/yyyy"}, "not a Go reference-date layout"},
		{Mapping{Source: "csat"}, `source is "csat"`},
		{Mapping{Defaults: map[string]string{"colour": "red"}}, `"colour" is not a column`},
		{Mapping{BigQuery: &BigQuerySource{}}, "exactly one of table and query"},
		{Mapping{BigQuery: &BigQuerySource{Table: "acme-crm.sf.opportunity", Query: "SELECT 1"}}, "exactly one of table and query"},
		{Mapping{BigQuery: &BigQuerySource{Table: "sf.opportunity"}}, "is not PROJECT.DATASET.TABLE"},
		{Mapping{BigQuery: &BigQuerySource{Table: "Acme CRM.sf.opportunity"}}, "is not PROJECT.DATASET.TABLE"},
		{Mapping{BigQuery: &BigQuerySource{Query: "SELECT * FROM `acme-crm.sf.opportunity`"}}, "a query needs project"},
		{Mapping{BigQuery: &BigQuerySource{Query: "SELECT 1", Project: "Acme"}}, "is not a Google Cloud project ID"},
		{Mapping{File: "deals.csv", BigQuery: &BigQuerySource{Table: "acme-crm.sf.opportunity"}}, "bigquery and file are both set"},
		{Mapping{Delimiter: ";", BigQuery: &BigQuerySource{Table: "acme-crm.sf.opportunity"}}, "delimiter applies to CSV exports"},
	} {
		err := c.m.Check(tb, "deals.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%+v) = %v, want %q", c.m, err, c.want)
		}
	}
}

func TestBigQuerySourceNamesItsProject(t *testing.T) {
	for _, c := range []struct {
		b                   BigQuerySource
		project, jobProject string
	}{
		{BigQuerySource{Table: "acme-crm.sf.opportunity"}, "acme-crm", "acme-crm"},
		{BigQuerySource{Table: "example.com:acme-crm.sf.opportunity"}, "example.com:acme-crm", "example.com:acme-crm"},
		{BigQuerySource{Table: "acme-crm.sf.opportunity", Project: "acme-bill"}, "acme-crm", "acme-bill"},
		{BigQuerySource{Query: "SELECT 1", Project: "acme-bill"}, "", "acme-bill"},
	} {
		if err := (Mapping{BigQuery: &c.b}).Check(schema.Get(schema.Deals), "deals.yaml"); err != nil {
			t.Errorf("%+v: %v", c.b, err)
		}
		p, _, _, _ := c.b.TableProject()
		if p != c.project || c.b.JobProject() != c.jobProject {
			t.Errorf("%+v: project %q, job project %q; want %q, %q", c.b, p, c.b.JobProject(), c.project, c.jobProject)
		}
	}
}

func TestParseCents(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "12": 1200, "12.5": 1250, "12.05": 1205, "0.125": 13, "0.124": 12, "-3.10": -310,
		".5": 50, "1e3": 100000, "99999999999999.99": 9999999999999999,
	} {
		got, ok := ParseCents(in)
		if !ok || got != want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1.2.3", "12a", "1,000", "NaN", "1e400"} {
		if _, ok := ParseCents(in); ok {
			t.Errorf("ParseCents(%q) accepted", in)
		}
	}
}

// The one-pass reading of the usual amount gives what the general reader
// gives, for every string of a few characters a cell could hold around a
// number (and a long run of digits either side of 16).
func TestParseCentsFastPathAgrees(t *testing.T) {
	const alphabet = "0159.-+eE x"
	var walk func(prefix string, depth int)
	n := 0
	walk = func(prefix string, depth int) {
		gotC, gotOK := ParseCents(prefix)
		wantC, wantOK := parseCentsAny(prefix)
		if gotC != wantC || gotOK != wantOK {
			t.Fatalf("ParseCents(%q) = %d, %v; the general reader gives %d, %v", prefix, gotC, gotOK, wantC, wantOK)
		}
		n++
		if depth == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(prefix+alphabet[i:i+1], depth-1)
		}
	}
	walk("", 5)
	for _, s := range []string{"1234567890123456", "12345678901234567", "-1234567890123456.999", "0000000000000000000.5", "9999999999999999.995"} {
		walk(s, 1)
	}
	if n < 100000 {
		t.Fatalf("only %d strings tried", n)
	}
}

func TestProblemRowsAreQuarantinedWhole(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.CSAT)
	header := tb.Names()
	v, _, err := New(Config{Table: tb, AsOf: asOf, Keys: keysFor(schema.CSAT)}, "csat.jsonl", header)
	if err != nil {
		t.Fatal(err)
	}
	nulls := make([]string, len(header))
	for i := range nulls {
		nulls[i] = "\x00"
	}
	rec, lines := batch(alloc, header, [][]string{nulls})
	defer rec.Release()
	lines[0] = Line{Number: 9, Problem: "line is not a JSON object", Raw: "{oops"}
	acc, rej := v.Batch(rec, lines)
	defer acc.Release()
	if acc.NumRows() != 0 || len(rej) != 1 || rej[0].Row != 9 || !strings.Contains(rej[0].Record, "{oops") {
		t.Fatalf("%+v", rej)
	}
}

// A key loaded by one file of a source is a duplicate in the next file.
func TestDuplicatesAcrossFilesNameTheFirstFile(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.Partners)
	keys := NewKeys()
	header, vals := row(schema.Partners, nil)
	var rejects []Reject
	for _, file := range []string{"partners-1.csv", "partners-2.csv"} {
		v, _, err := New(Config{Table: tb, AsOf: asOf, RunID: "r", Keys: keys}, file, header)
		if err != nil {
			t.Fatal(err)
		}
		rec, lines := batch(alloc, header, [][]string{vals})
		acc, rej := v.Batch(rec, lines)
		rejects = append(rejects, rej...)
		acc.Release()
		rec.Release()
	}
	if len(rejects) != 1 || !strings.Contains(rejects[0].Reason, "partners-1.csv row 2 already loaded it") {
		t.Fatalf("%+v", rejects)
	}
}

// A quarantined row's record is the JSON object encoding/json makes of
// the map header -> value: keys sorted, a repeated header name keeping its
// last column, nulls, and every string escaped the same way (quotes,
// backslashes, HTML characters, control characters, invalid UTF-8, U+2028).
func TestRecordIsTheRowAsJSON(t *testing.T) {
	header := []string{"zeta", "deal_id", "a<b", "dup", "notes", "dup", "ünïcode", "\x01ctl"}
	rows := [][]string{
		{"1", "D-1", "x&y", "first", `say "hi" \ then`, "second", "naïve", "tab\there"},
		{"\x00", "D-2", "<script>", "\x00", "line\nbreak\u2028sep", "\x00", "bad\xffbyte", ""},
		{"", "", "", "", "", "", "", ""},
	}
	rec, _ := batch(memory.DefaultAllocator, header, rows)
	defer rec.Release()
	cols := make([]*array.String, rec.NumCols())
	for i := range cols {
		cols[i] = rec.Column(i).(*array.String)
	}
	v := &Validator{header: header}
	for r := range rows {
		m := map[string]any{}
		for i, c := range cols {
			if c.IsNull(r) {
				m[header[i]] = nil
			} else {
				m[header[i]] = c.Value(r)
			}
		}
		want, _ := json.Marshal(m)
		if got := v.record(cols, r); got != string(want) {
			t.Fatalf("row %d:\n got %s\nwant %s", r, got, want)
		}
	}
}
