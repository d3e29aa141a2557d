package keys

import (
	"strconv"
	"testing"
)

// BenchmarkInsertLookup numbers ten million deal-like ids, then finds each
// again: the score job's deal index at 10M deals. Reports, never asserts.
func BenchmarkInsertLookup(b *testing.B) {
	const n = 10_000_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "DL-" + strconv.Itoa(7_000_000+i*7)
	}
	for b.Loop() {
		x := New(n)
		for _, s := range ids {
			x.Insert(s)
		}
		for _, s := range ids {
			if _, ok := x.Lookup(s); !ok {
				b.Fatal("lost a key")
			}
		}
	}
}

// BenchmarkInsertAll numbers the same ten million ids with InsertAll.
func BenchmarkInsertAll(b *testing.B) {
	const n = 10_000_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "DL-" + strconv.Itoa(7_000_000+i*7)
	}
	for b.Loop() {
		x := New(n)
		if x.InsertAll(n, func(i int) string { return ids[i] }, NewOnly) >= 0 {
			b.Fatal("a key twice")
		}
	}
}

// BenchmarkInsert numbers them one Insert at a time.
func BenchmarkInsert(b *testing.B) {
	const n = 10_000_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "DL-" + strconv.Itoa(7_000_000+i*7)
	}
	for b.Loop() {
		x := New(n)
		for _, s := range ids {
			x.Insert(s)
		}
	}
}
