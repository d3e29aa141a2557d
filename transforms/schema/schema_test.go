package schema

import (
	"flag"
	"os"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
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
	deals, _ := Lookup(Deals)
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
	d, err := ParseDate("2026-09-30")
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatDate(d); got != "2026-09-30" {
		t.Fatalf("round trip gave %s", got)
	}
	if d != 20726 {
		t.Fatalf("2026-09-30 is day %d, want 20726", d)
	}
	if _, err := ParseDate("30/09/2026"); err == nil {
		t.Fatal("accepted a non-ISO date")
	}
	first, _ := ParseDate("2026-07-01")
	if !IsFirstOfMonth(first) || IsFirstOfMonth(first+1) {
		t.Fatal("IsFirstOfMonth wrong")
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
