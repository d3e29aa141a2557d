package keys

import (
	"strconv"
	"testing"
)

// benchKeys is how many deal-like ids the benchmarks number: the score
// job's deal index at 10M deals. They report, never assert.
const benchKeys = 10_000_000

func dealIDs() []string {
	ids := make([]string, benchKeys)
	for i := range ids {
		ids[i] = "DL-" + strconv.Itoa(7_000_000+i*7)
	}
	return ids
}

// insertEach numbers ids one Insert at a time.
func insertEach(ids []string) *Index {
	x := New(benchKeys)
	for _, s := range ids {
		x.Insert(s)
	}
	return x
}

// BenchmarkInsertLookup numbers the ids one Insert at a time, then finds
// each again.
func BenchmarkInsertLookup(b *testing.B) {
	ids := dealIDs()
	for b.Loop() {
		x := insertEach(ids)
		for _, s := range ids {
			if _, ok := x.Lookup(s); !ok {
				b.Fatal("lost a key")
			}
		}
	}
}

// BenchmarkInsert numbers them one Insert at a time.
func BenchmarkInsert(b *testing.B) {
	ids := dealIDs()
	for b.Loop() {
		insertEach(ids)
	}
}

// BenchmarkInsertAll numbers them with InsertAll.
func BenchmarkInsertAll(b *testing.B) {
	ids := dealIDs()
	for b.Loop() {
		x := New(benchKeys)
		if x.InsertAll(benchKeys, func(i int) string { return ids[i] }, NewOnly) >= 0 {
			b.Fatal("a key twice")
		}
	}
}
