package schema

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestEveryTableIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, tb := range All() {
		if seen[tb.Name] {
			t.Fatalf("table %s defined twice", tb.Name)
		}
		seen[tb.Name] = true
		cols := map[string]bool{}
		for _, c := range tb.Stored() {
			if cols[c.Name] {
				t.Errorf("%s.%s defined twice", tb.Name, c.Name)
			}
			cols[c.Name] = true
			if c.Desc == "" {
				t.Errorf("%s.%s has no description", tb.Name, c.Name)
			}
			if c.Kind == Enum && len(c.Enum) == 0 {
				t.Errorf("%s.%s is an enum with no values", tb.Name, c.Name)
			}
			if c.Ref != nil {
				ref, ok := Lookup(c.Ref.Table)
				if !ok {
					t.Errorf("%s.%s refers to unknown table %s", tb.Name, c.Name, c.Ref.Table)
				} else if _, ok := ref.Column(c.Ref.Column); !ok {
					t.Errorf("%s.%s refers to unknown column %s.%s", tb.Name, c.Name, c.Ref.Table, c.Ref.Column)
				}
			}
		}
		for _, k := range tb.Key {
			c, ok := tb.Column(k)
			if !ok {
				t.Errorf("%s key column %s does not exist", tb.Name, k)
			}
			if !c.Required && !(tb.Name == Churn && k == PartnerID) {
				t.Errorf("%s key column %s is nullable", tb.Name, k)
			}
		}
		for _, ch := range tb.Checks {
			for _, u := range append([]string{ch.Column}, ch.Uses...) {
				if _, ok := tb.Column(u); !ok {
					t.Errorf("%s check %q uses unknown column %s", tb.Name, ch.Rule, u)
				}
			}
		}
		// a load point in time reads dates and clears or sets real columns
		if c, ok := tb.Column(tb.Known); tb.Known != "" && (!ok || c.Kind != Date) {
			t.Errorf("%s: known by %q, not a date column", tb.Name, tb.Known)
		}
		if tb.Input && tb.Known == "" && tb.Name != DealPartners {
			t.Errorf("%s: no date says when a row became known, so a load point in time cannot rebuild it", tb.Name)
		}
		for _, u := range tb.Undo {
			if c, ok := tb.Column(u.Date); !ok || c.Kind != Date {
				t.Errorf("%s: an undo on %q, not a date column", tb.Name, u.Date)
			}
			for _, col := range u.Clear {
				if c, ok := tb.Column(col); !ok || c.Required {
					t.Errorf("%s: an undo clears %q, not a nullable column", tb.Name, col)
				}
			}
			for col, v := range u.Set {
				if c, ok := tb.Column(col); !ok || (c.Kind == Enum && !slices.Contains(c.Enum, v)) {
					t.Errorf("%s: an undo sets %s to %q, not one of its values", tb.Name, col, v)
				}
			}
		}
	}
}

func TestInputOrderLoadsReferencesFirst(t *testing.T) {
	pos := map[string]int{}
	for i, n := range InputOrder {
		pos[n] = i
	}
	for _, tb := range All() {
		if !tb.Input {
			continue
		}
		if _, ok := pos[tb.Name]; !ok {
			t.Fatalf("input table %s missing from InputOrder", tb.Name)
		}
		for _, c := range tb.Columns {
			if c.Ref != nil && pos[c.Ref.Table] >= pos[tb.Name] {
				t.Errorf("%s loads before %s, which its %s refers to", tb.Name, c.Ref.Table, c.Name)
			}
		}
	}
}

func TestArrowTypes(t *testing.T) {
	deals := Get(Deals)
	s := deals.StoredArrow()
	want := map[string]arrow.Type{
		DealID: arrow.STRING, CreatedDate: arrow.DATE32, AmountUSD: arrow.DECIMAL128,
		ProductCount: arrow.INT64, Qualified: arrow.BOOL, AsOfDate: arrow.DATE32, SourceRow: arrow.INT64,
	}
	for name, typ := range want {
		idx := s.FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("deals has %d fields named %s", len(idx), name)
		}
		f := s.Field(idx[0])
		if f.Type.ID() != typ {
			t.Errorf("deals.%s is %s, want %s", name, f.Type, typ)
		}
	}
	if f, _ := s.FieldsByName(DealID); f[0].Nullable {
		t.Error("deal_id must not be nullable")
	}
	if f, _ := s.FieldsByName(ClosedDate); !f[0].Nullable {
		t.Error("closed_date must be nullable")
	}
}

func TestDates(t *testing.T) {
	d, err := ParseDay("2026-09-30")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.String(); got != "2026-09-30" {
		t.Fatalf("round trip gave %s", got)
	}
	if d != 20726 {
		t.Fatalf("2026-09-30 is day %d, want 20726", d)
	}
	if _, err := ParseDay("30/09/2026"); err == nil {
		t.Fatal("accepted a non-ISO date")
	}
	first, _ := ParseDay("2026-07-01")
	if !IsFirstOfMonth(int32(first)) || IsFirstOfMonth(int32(first+1)) {
		t.Fatal("IsFirstOfMonth wrong")
	}
}

// ParseDay reads its own digits: it must agree with the calendar (time's)
// on every day of four centuries, leap days included, and refuse what
// time.Parse refuses.
func TestParseDayAgreesWithTheCalendar(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 146097+20; i++ {
		tm := start.AddDate(0, 0, i)
		s := tm.Format("2006-01-02")
		d, err := ParseDay(s)
		if err != nil || d != DayOf(tm) {
			t.Fatalf("ParseDay(%q) = %d, %v; want %d", s, d, err, DayOf(tm))
		}
	}
	for _, s := range []string{"2026-02-29", "2024-02-30", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-1-010", "2026/01/01", "+026-01-01", "2026-01-1 ", " 2026-01-1", "2026-01-01T", "", "abcd-ef-gh", "2026-0a-01"} {
		_, err := ParseDay(s)
		_, terr := time.Parse("2006-01-02", s)
		if err == nil || terr == nil {
			t.Errorf("ParseDay(%q): err %v, time.Parse err %v; both should refuse it", s, err, terr)
		}
	}
	for _, s := range []string{"2000-02-29", "0001-01-01", "9999-12-31", "1970-01-01"} {
		d, err := ParseDay(s)
		tm, _ := time.Parse("2006-01-02", s)
		if err != nil || d != DayOf(tm) {
			t.Errorf("ParseDay(%q) = %d, %v; want %d", s, d, err, DayOf(tm))
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/contract.md from the schema")

func TestContractDocIsGenerated(t *testing.T) {
	const path = "../../docs/contract.md"
	want := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/contract.md is out of date with transforms/schema; run go test ./transforms/schema -update")
	}
}

func TestQuarters(t *testing.T) {
	for _, c := range []struct {
		day   string
		label string
		start string
	}{{"2026-09-30", "2026-Q3", "2026-07-01"}, {"2026-01-01", "2026-Q1", "2026-01-01"}, {"2024-12-31", "2024-Q4", "2024-10-01"},
		{"1969-12-31", "1969-Q4", "1969-10-01"}, {"2000-02-29", "2000-Q1", "2000-01-01"}} {
		d, _ := ParseDay(c.day)
		q := d.Quarter()
		if QuarterLabel(q) != c.label || Day(QuarterFirstDay(q)).String() != c.start || d.QuarterStart().String() != c.start {
			t.Errorf("%s: quarter %s starting %s, want %s starting %s", c.day, QuarterLabel(q), Day(QuarterFirstDay(q)).String(), c.label, c.start)
		}
	}
	// every day of 1990..2040 maps to the quarter holding it
	lo, _ := ParseDay("1990-01-01")
	hi, _ := ParseDay("2040-12-31")
	for d := lo; d <= hi; d++ {
		q := d.Quarter()
		if Day(QuarterFirstDay(q)) > d || Day(QuarterFirstDay(q+1)) <= d {
			t.Fatalf("%s is not in quarter %s", d, QuarterLabel(q))
		}
	}
}

func TestQuarterEndBefore(t *testing.T) {
	for day, want := range map[string]string{
		"2026-10-01": "2026-09-30", "2026-12-31": "2026-09-30", "2026-09-30": "2026-06-30",
		"2027-01-01": "2026-12-31", "2024-03-01": "2023-12-31", "2024-04-01": "2024-03-31",
	} {
		d, _ := ParseDay(day)
		if got := d.QuarterEndBefore().String(); got != want {
			t.Errorf("quarterEndBefore(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestTrailingWindow(t *testing.T) {
	end, _ := ParseDay("2026-09-30")
	w := end.Trailing(4)
	if Day(w.Start).String() != "2025-10-01" || w.End != int32(end) {
		t.Fatalf("4 quarters to 2026-09-30: %s..%s", Day(w.Start).String(), Day(w.End).String())
	}
	mid, _ := ParseDay("2026-08-15")
	if w := mid.Trailing(1); Day(w.Start).String() != "2026-07-01" || !w.Has(int32(mid)) || w.Has(int32(mid)+1) || w.Has(NoDate) {
		t.Fatalf("one quarter to 2026-08-15: %s..%s", Day(w.Start).String(), Day(w.End).String())
	}
}

// TestEnumerations: every typed enumeration names each of its constants
// with the text the contract uses, round-trips through its parser, and
// NullEnum is no value.
func TestEnumerations(t *testing.T) {
	check := func(name string, names []string, n int, text func(int) string, parse func(string) (int, bool)) {
		t.Helper()
		if len(names) != n {
			t.Errorf("%s: %d names for %d constants", name, len(names), n)
		}
		for i, want := range names {
			if got := text(i); got != want {
				t.Errorf("%s(%d) = %q, want %q", name, i, got, want)
			}
			if v, ok := parse(want); !ok || v != i {
				t.Errorf("parsing %s %q gives %d, %v", name, want, v, ok)
			}
		}
		if text(NullEnum) != "" {
			t.Errorf("%s: NullEnum has a name", name)
		}
		if _, ok := parse("no such value"); ok {
			t.Errorf("%s parses an unknown value", name)
		}
	}
	check("DealStatus", []string{"open", "won", "lost"}, int(StatusLost)+1,
		func(i int) string { return DealStatus(i).String() }, func(s string) (int, bool) { v, ok := ParseDealStatus(s); return int(v), ok })
	check("DealRole", []string{"sourced", "influenced", "co_sell", "delivery"}, NumDealRoles,
		func(i int) string { return DealRole(i).String() }, func(s string) (int, bool) { v, ok := ParseDealRole(s); return int(v), ok })
	check("CostCategory", []string{"enablement", "mdf", "program", "partner_management", "support", "other", "commission"}, NumCostCategories,
		func(i int) string { return CostCategory(i).String() }, func(s string) (int, bool) { v, ok := ParseCostCategory(s); return int(v), ok })
	check("Tail", []string{"head", "torso", "long_tail"}, NumTails,
		func(i int) string { return Tail(i).String() }, func(s string) (int, bool) { v, ok := ParseTailSegment(s); return int(v), ok })
	check("Component", Components, NumComponents,
		func(i int) string { return Component(i).String() }, func(s string) (int, bool) { v, ok := ParseComponent(s); return int(v), ok })
	check("Tier", []string{"registered", "silver", "gold", "platinum"}, int(TierPlatinum)+1,
		func(i int) string { return Tier(i).String() }, func(s string) (int, bool) { v, ok := ParseProgramTier(s); return int(v), ok })
	check("Move", []string{"new", "same", "up", "down"}, int(MoveDown)+1,
		func(i int) string { return Move(i).String() }, func(s string) (int, bool) { v, ok := ParseSegmentMove(s); return int(v), ok })
	if MoveBetween(TailTorso, TailHead) != MoveUp || MoveBetween(TailTorso, TailLong) != MoveDown || MoveBetween(TailHead, TailHead) != MoveSame {
		t.Error("MoveBetween: head is up")
	}
}

func TestStoredArrowOfKeepsStoredOrder(t *testing.T) {
	deals := Get(Deals)
	got, err := deals.StoredArrowOf([]string{RunID, DealID, AmountUSD})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got.Fields() {
		names = append(names, f.Name)
	}
	if want := []string{DealID, AmountUSD, RunID}; !slices.Equal(names, want) {
		t.Errorf("columns %v, want %v (the stored order)", names, want)
	}
	if f, _ := got.FieldsByName(AmountUSD); len(f) != 1 || !f[0].Nullable || !arrow.TypeEqual(f[0].Type, Money.ArrowType()) {
		t.Errorf("amount_usd field %v, want the stored one", f)
	}
	if all, _ := deals.StoredArrowOf(nil); !all.Equal(deals.StoredArrow()) {
		t.Error("no names: want every stored column")
	}
	if _, err := deals.StoredArrowOf([]string{DealID, "dael_id"}); err == nil || !strings.Contains(err.Error(), "no column dael_id") {
		t.Errorf("unknown column: error %v, want one naming it", err)
	}
	if _, err := deals.StoredArrowOf([]string{DealID, DealID}); err == nil {
		t.Error("a column named twice: want an error")
	}
}

// A warehouse holds snapshots written by earlier versions: a column a
// table gains is missing from them, so it must be nullable, or reading
// the table (a re-score replacing its own snapshot, pqi sql, BigQuery,
// which adds only NULLABLE columns to a table with rows) fails on the
// first old file. testdata/required.txt lists every required column of
// every table; -update adds a new table's, never a column to a table it
// already lists.
func TestColumnsATableGainsAreNullable(t *testing.T) {
	const path = "testdata/required.txt"
	raw, err := os.ReadFile(path)
	if err != nil && !(*update && os.IsNotExist(err)) {
		t.Fatal(err)
	}
	listed, tables := map[string]bool{}, map[string]bool{}
	for _, ln := range strings.Fields(string(raw)) {
		listed[ln] = true
		tables[strings.SplitN(ln, ".", 2)[0]] = true
	}
	var out []string
	for _, tb := range All() {
		for _, c := range tb.Stored() {
			if !c.Required {
				continue
			}
			key := tb.Name + "." + c.Name
			out = append(out, key)
			switch {
			case listed[key]:
			case tables[tb.Name]:
				t.Errorf("%s is required, but %s already exists in warehouses without it: make it nullable (say in its description when it is null)", key, tb.Name)
			case !*update:
				t.Errorf("new table %s: run go test ./transforms/schema -update to list its required columns", tb.Name)
			}
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
