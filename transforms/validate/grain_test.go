package validate

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// A line-item export: order lines sharing an order id become one deal,
// amounts summed, the earliest line's date kept, line counts recorded. A
// line that does not parse is quarantined alone; an order that breaks a
// rule is quarantined line by line.
func TestGrainMergesLineItems(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.Deals)
	m := Mapping{
		Columns:  map[string]string{"deal_id": "order_id", "customer_id": "customer", "created_date": "purchased", "closed_date": "delivered", "status": "order_status", "amount_usd": "price", "product_count": "qty"},
		Values:   map[string]map[string]string{"status": {"delivered": "won", "canceled": "lost", "shipped": "open"}},
		Defaults: map[string]string{"via_marketplace": "true"},
		Grain:    &Grain{Key: Columns{"deal_id"}, Aggregate: map[string]string{"amount_usd": AggSum, "product_count": AggSum, "created_date": AggMin}},
	}
	if err := m.Check(tb, "orders.yaml"); err != nil {
		t.Fatal(err)
	}
	header := []string{"order_id", "item", "customer", "purchased", "delivered", "order_status", "price", "qty"}
	v, _, err := New(Config{Table: tb, Mapping: m, AsOf: asOf, RunID: "r", Keys: NewKeys()}, "order_items.csv", header)
	if err != nil {
		t.Fatal(err)
	}
	rec, lines := batch(alloc, header, [][]string{
		{"O1", "1", "C1", "2026-03-02", "2026-03-10", "delivered", "10.50", "1"},
		{"O2", "1", "C2", "2026-03-05", "\x00", "shipped", "7", "2"},
		{"O1", "2", "C1", "2026-03-01", "2026-03-10", "delivered", "4.25", "3"},
		{"O3", "1", "C3", "2026-04-01", "2026-03-01", "canceled", "5", "1"}, // closed before created
		{"O3", "2", "C3", "2026-04-01", "2026-03-01", "canceled", "6", "1"},
		{"O2", "2", "C2", "2026-03-05", "\x00", "shipped", "12k", "1"}, // amount does not parse
	})
	defer rec.Release()
	acc, rej := v.Batch(rec, lines)
	acc.Release()
	if len(rej) != 1 || rej[0].Row != 7 || rej[0].Code != schema.ReasonNotANumber {
		t.Fatalf("while reading, rejects %+v; want line 7 alone (amount)", rej)
	}
	var got []map[string]string
	var merged int64
	if err := v.Flush(100, func(acc arrow.Record, lines int64, rejects []Reject) error {
		defer acc.Release()
		got = append(got, arrowtest.Rows(acc)...)
		merged += lines
		rej = append(rej, rejects...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || merged != 3 {
		t.Fatalf("%d rows from %d lines, want O1 and O2 from 3 lines: %v", len(got), merged, got)
	}
	o1, o2 := got[0], got[1]
	if o1[schema.DealID] != "O1" || o1[schema.AmountUSD] != "14.75" || o1[schema.ProductCount] != "4" || o1[schema.CreatedDate] != "2026-03-01" ||
		o1[schema.SourceLines] != "2" || o1[schema.SourceRow] != "2" || o1[schema.Status] != "won" || o1[schema.ViaMarketplace] != "true" {
		t.Errorf("O1 merged as %v", o1)
	}
	if o2[schema.AmountUSD] != "7" || o2[schema.SourceLines] != "1" {
		t.Errorf("O2 (one good line) merged as %v", o2)
	}
	if len(rej) != 3 || rej[1].Row != 5 || rej[2].Row != 6 || rej[1].Code != schema.ReasonDateOrder || !strings.Contains(rej[2].Record, `"item":"2"`) {
		t.Fatalf("rejects %+v; want O3's two lines for closed before created, each with its own record", rej)
	}
}

// Defaults fill empty cells as well as missing columns; a lookup fills a
// column from a second file where the export has no value.
func TestDefaultsFillEmptyCellsAndLookupsFillColumns(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.Deals)
	m := Mapping{
		Defaults: map[string]string{"segment": "smb"},
		Lookups:  map[string]Lookup{"amount_usd": {File: "products.csv", Key: "product", Value: "list_price", From: "product"}},
	}
	if err := m.Check(tb, "deals.yaml"); err != nil {
		t.Fatal(err)
	}
	header := []string{"deal_id", "customer_id", "created_date", "status", "segment", "amount_usd", "product"}
	cfg := Config{Table: tb, Mapping: m, AsOf: asOf, RunID: "r", Keys: NewKeys(), Lookups: map[string]map[string]string{"amount_usd": {"GTX Pro": "1200.00"}}}
	v, _, err := New(cfg, "deals.csv", header)
	if err != nil {
		t.Fatal(err)
	}
	rec, lines := batch(alloc, header, [][]string{
		{"D1", "C1", "2026-03-01", "open", "", "\x00", "GTX Pro"},
		{"D2", "C1", "2026-03-01", "open", "enterprise", "99", "GTX Pro"},
		{"D3", "C1", "2026-03-01", "open", "\x00", "\x00", "Unknown"},
	})
	defer rec.Release()
	acc, rej := v.Batch(rec, lines)
	defer acc.Release()
	rows := arrowtest.Rows(acc)
	if len(rej) != 0 || len(rows) != 3 {
		t.Fatalf("rows %v rejects %+v", rows, rej)
	}
	if rows[0][schema.Segment] != "smb" || rows[0][schema.AmountUSD] != "1200" {
		t.Errorf("D1 (empty cells): %v", rows[0])
	}
	if rows[1][schema.Segment] != "enterprise" || rows[1][schema.AmountUSD] != "99" {
		t.Errorf("D2 (own values win): %v", rows[1])
	}
	if _, ok := rows[2][schema.AmountUSD]; ok || rows[2][schema.Segment] != "smb" {
		t.Errorf("D3 (key not in the lookup): %v", rows[2])
	}
	if err := (Mapping{Values: map[string]map[string]string{"segment": {"": "smb"}}}).Check(tb, "deals.yaml"); err == nil || !strings.Contains(err.Error(), "defaults") {
		t.Errorf("an alias for the empty cell: %v, want the fix to point at defaults", err)
	}
}
