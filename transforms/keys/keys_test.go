package keys

import (
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
