package quality

import (
	"strconv"
	"testing"
)

// The deal and customer indexes number keys in first-seen order, find
// every key again after growing many times, and report duplicates.
func TestStrIndexPositionsSurviveGrowth(t *testing.T) {
	x := newStrIndex()
	const n = 5000
	for i := range n {
		if p, added := x.insert("D" + strconv.Itoa(i)); !added || p != int32(i) {
			t.Fatalf("insert D%d = %d, %v; want %d, true", i, p, added, i)
		}
		if i == 100 {
			x.reserve(3000) // a batch hint in the middle keeps positions
		}
	}
	if p, added := x.insert("D42"); added || p != 42 {
		t.Fatalf("duplicate D42 = %d, %v; want 42, false", p, added)
	}
	for i := range n {
		if p, ok := x.lookup("D" + strconv.Itoa(i)); !ok || p != int32(i) {
			t.Fatalf("lookup D%d = %d, %v", i, p, ok)
		}
	}
	if _, ok := x.lookup("D5000"); ok {
		t.Fatal("D5000 was never inserted")
	}
	if x.Len() != n {
		t.Fatalf("Len = %d, want %d", x.Len(), n)
	}
}
