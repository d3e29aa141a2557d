package keys

import (
	"slices"
	"strconv"
	"testing"
)

// An index numbers keys in first-seen order, finds every key again after
// growing many times, and reports duplicates.
func TestPositionsSurviveGrowth(t *testing.T) {
	x := New(0)
	const n = 5000
	for i := range n {
		if p, added := x.Insert("D" + strconv.Itoa(i)); !added || p != int32(i) {
			t.Fatalf("insert D%d = %d, %v; want %d, true", i, p, added, i)
		}
		if i == 100 {
			x.Reserve(3000) // a batch hint in the middle keeps positions
		}
	}
	if p, added := x.Insert("D42"); added || p != 42 {
		t.Fatalf("duplicate D42 = %d, %v; want 42, false", p, added)
	}
	for i := range n {
		if p, ok := x.Lookup("D" + strconv.Itoa(i)); !ok || p != int32(i) {
			t.Fatalf("lookup D%d = %d, %v", i, p, ok)
		}
	}
	if _, ok := x.Lookup("D5000"); ok {
		t.Fatal("D5000 was never inserted")
	}
	if x.Len() != n {
		t.Fatalf("Len = %d, want %d", x.Len(), n)
	}
	for _, hint := range []int32{-5, 0, 41, 42, 43, n - 1, n + 7} {
		if p, ok := x.LookupNear("D42", hint); !ok || p != 42 {
			t.Fatalf("LookupNear(D42, %d) = %d, %v", hint, p, ok)
		}
	}
	if _, ok := x.LookupNear("D5000", n-1); ok {
		t.Fatal("LookupNear found D5000, never inserted")
	}
	if x.Key(42) != "D42" {
		t.Fatalf("Key(42) = %q", x.Key(42))
	}
}

// A frozen index still names every key by its position, and refuses to
// look one up rather than answer "absent" from a table it no longer has.
func TestFreezeKeepsKeys(t *testing.T) {
	x := New(0)
	for _, s := range []string{"DL-1", "DL-2", "DL-3"} {
		x.Insert(s)
	}
	x.Freeze()
	if x.Len() != 3 || x.Key(0) != "DL-1" || x.Key(2) != "DL-3" {
		t.Fatalf("after Freeze: Len %d, keys %q %q", x.Len(), x.Key(0), x.Key(2))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Lookup after Freeze answered instead of panicking")
		}
	}()
	x.Lookup("DL-2")
}

// Keys of every length come back whole across page ends: short ones that
// do not fit a page's rest start the next, an empty key and keys longer
// than a page's sixteenth (kept apart) keep their places among them.
func TestKeysAcrossPages(t *testing.T) {
	x := New(0)
	var want []string
	add := func(s string) {
		if p, added := x.Insert(s); !added || p != int32(len(want)) {
			t.Fatalf("insert #%d (%d bytes) = %d, %v", len(want), len(s), p, added)
		}
		want = append(want, s)
	}
	add("")
	for i := 0; len(want) < 40000; i++ {
		n := 1 + (i*7919)%300 // up to 300 bytes: about 6 MB, six pages
		if i%10000 == 5000 {
			n = bigKey + 1 + i%3
		}
		b := []byte(strconv.Itoa(i) + "|")
		for j := len(b); j < n; j++ {
			b = append(b, byte('a'+(i+j)%26))
		}
		add(string(b))
	}
	if len(x.pages) < 5 {
		t.Fatalf("%d pages: the test should cross several page ends", len(x.pages))
	}
	for i, s := range want {
		if got := x.Key(int32(i)); got != s {
			t.Fatalf("Key(%d) = %d bytes %.20q, want %d bytes %.20q", i, len(got), got, len(s), s)
		}
		if p, ok := x.Lookup(s); !ok || p != int32(i) {
			t.Fatalf("Lookup key #%d = %d, %v", i, p, ok)
		}
	}
}

// InsertAll numbers keys as Inserts one after the other do, across
// batches and growth, and stops at the first key already present, having
// inserted nothing after it.
func TestInsertAllIsInsertsInOrder(t *testing.T) {
	x := New(0)
	ids := func(lo, hi int) func(int) string {
		return func(i int) string { return "D" + strconv.Itoa(lo+i) }
	}
	for lo := 0; lo < 5000; lo += 1000 { // batches that grow the table
		if dup := x.InsertAll(1000, ids(lo, lo+1000), NewOnly); dup != -1 {
			t.Fatalf("batch at %d: duplicate at %d", lo, dup)
		}
	}
	for i := range 5000 {
		if p, ok := x.Lookup("D" + strconv.Itoa(i)); !ok || p != int32(i) {
			t.Fatalf("lookup D%d = %d, %v; want %d", i, p, ok, i)
		}
	}
	// D5000..D5009, then D4990 again (index 10 of the batch), then more
	if dup := x.InsertAll(20, func(i int) string {
		if i == 10 {
			return "D4990"
		}
		return "D" + strconv.Itoa(5000+i)
	}, NewOnly); dup != 10 {
		t.Fatalf("duplicate reported at %d, want 10", dup)
	}
	if x.Len() != 5010 {
		t.Fatalf("Len = %d after the stop, want 5010", x.Len())
	}
	if _, ok := x.Lookup("D5011"); ok {
		t.Fatal("a key after the duplicate was inserted")
	}
	if p, ok := x.Lookup("D5009"); !ok || p != 5009 {
		t.Fatalf("D5009 at %d, %v; want 5009", p, ok)
	}
}

// InsertAll hands every key its position, a repeated key the position it
// first had, in the order of the keys.
func TestInsertAllGivesPositions(t *testing.T) {
	x := New(0)
	keys := []string{"c", "a", "c", "b", "a", "", ""}
	var pos []int32
	var added []bool
	if stop := x.InsertAll(len(keys), func(i int) string { return keys[i] }, func(i int, p int32, a bool) bool {
		if i != len(pos) {
			t.Fatalf("key %d handed over out of order", i)
		}
		pos, added = append(pos, p), append(added, a)
		return true
	}); stop != -1 {
		t.Fatalf("stopped at %d", stop)
	}
	if want := []int32{0, 1, 0, 2, 1, 3, 3}; !slices.Equal(pos, want) {
		t.Fatalf("positions %v, want %v", pos, want)
	}
	if want := []bool{true, true, false, true, false, true, false}; !slices.Equal(added, want) {
		t.Fatalf("added %v, want %v", added, want)
	}
}
