package validate

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// loadAt validates rows of table as of asOf with exports known by knownBy
// and returns the accepted record's rows as column -> value, the rejects
// and the rows not yet known.
func loadAt(t *testing.T, table string, keys *Keys, at, knownBy string, rows ...map[string]string) ([]map[string]string, []Reject, int64) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	a, _ := schema.ParseDay(at)
	k, _ := schema.ParseDay(knownBy)
	var header []string
	var data [][]string
	for _, ch := range rows {
		h, vals := row(table, ch)
		header, data = h, append(data, vals)
	}
	v, _, err := New(Config{Table: schema.Get(table), AsOf: a, KnownBy: k, RunID: "r1", Keys: keys}, table+".csv", header)
	if err != nil {
		t.Fatal(err)
	}
	rec, lines := batch(alloc, header, data)
	defer rec.Release()
	acc, rej := v.Batch(rec, lines)
	defer acc.Release()
	if int(acc.NumRows())+len(rej)+int(v.NotYetKnown()) != len(rows) {
		t.Fatalf("read %d rows but accepted %d + quarantined %d + not yet known %d", len(rows), acc.NumRows(), len(rej), v.NotYetKnown())
	}
	var out []map[string]string
	for r := 0; r < int(acc.NumRows()); r++ {
		m := map[string]string{}
		for ci, f := range acc.Schema().Fields() {
			if c := acc.Column(ci); !c.IsNull(r) {
				m[f.Name] = c.ValueStr(r)
			}
		}
		out = append(out, m)
	}
	return out, rej, v.NotYetKnown()
}

// TestALoadPointInTimeSeesOnlyWhatWasKnown rebuilds 2025-12-31 from
// exports taken on 2026-09-30.
func TestALoadPointInTimeSeesOnlyWhatWasKnown(t *testing.T) {
	keys := keysFor(schema.Deals)
	got, rej, later := loadAt(t, schema.Deals, keys, "2025-12-31", "2026-09-30",
		// created after the as-of date: did not exist yet
		map[string]string{"deal_id": "D1", "created_date": "2026-01-10"},
		// created before, won after: open then, registered after: not yet
		map[string]string{"deal_id": "D2", "created_date": "2025-11-01", "closed_date": "2026-03-01", "registered_date": "2026-01-05"},
		// closed before, first value after
		map[string]string{"deal_id": "D3", "created_date": "2025-10-01", "closed_date": "2025-12-01", "registered_date": "2025-10-02", "first_value_date": "2026-02-01"},
		// after every export: still a bad date
		map[string]string{"deal_id": "D4", "created_date": "2025-10-01", "closed_date": "9999-12-31"})
	if later != 1 || len(rej) != 1 || rej[0].Code != schema.ReasonFutureDate || len(got) != 2 {
		t.Fatalf("accepted %v, quarantined %v, %d not yet known; want D2 and D3, D4 quarantined as a future date, D1 not yet known", got, rej, later)
	}
	d2, d3 := got[0], got[1]
	if d2[schema.Status] != "open" || d2[schema.ClosedDate] != "" || d2[schema.FirstValueDate] != "" || d2[schema.RegisteredDate] != "" {
		t.Errorf("D2 as of 2025-12-31: %v, want open, not closed, not registered", d2)
	}
	if d3[schema.Status] != "won" || d3[schema.ClosedDate] != "2025-12-01" || d3[schema.FirstValueDate] != "" || d3[schema.RegisteredDate] != "2025-10-02" {
		t.Errorf("D3 as of 2025-12-31: %v, want won on 2025-12-01, no first value yet", d3)
	}
	// a deal's partners follow it: D1 did not exist, so neither did its
	// rows; an id that never existed is still an unknown reference
	keys.load(schema.Deals, digestOf("D2"), loc{})
	got, rej, later = loadAt(t, schema.DealPartners, keys, "2025-12-31", "2026-09-30",
		map[string]string{"deal_id": "D1"}, map[string]string{"deal_id": "D2"}, map[string]string{"deal_id": "D9"})
	if later != 1 || len(got) != 1 || len(rej) != 1 || rej[0].Code != schema.ReasonUnknownReference {
		t.Errorf("deal partners: accepted %v, quarantined %v, %d not yet known; want D2 in, D9 unknown, D1 not yet known", got, rej, later)
	}
	// the same rows loaded as of their export date are all there
	got, rej, later = loadAt(t, schema.Deals, keysFor(schema.Deals), "2026-09-30", "2026-09-30",
		map[string]string{"deal_id": "D1", "created_date": "2026-01-10"},
		map[string]string{"deal_id": "D2", "created_date": "2025-11-01", "closed_date": "2026-03-01", "registered_date": "2026-01-05"})
	if later != 0 || len(rej) != 0 || len(got) != 2 || got[1][schema.Status] != "won" {
		t.Errorf("as of the export date: accepted %v, quarantined %v, %d not yet known", got, rej, later)
	}
}
