package validate

import (
	"fmt"
	"math"
	"testing"
)

// The compact set must answer exactly as a map of the keys would, across
// growth, several files, rows too large for 32 bits and aux values.
func TestKeySetAgreesWithAMap(t *testing.T) {
	s := newKeySet()
	type want struct {
		file int32
		row  int64
		aux  int32
	}
	ref := map[string]want{}
	const n = 3*chunk + 17 // several row blocks and many doublings
	for i := range n {
		key := fmt.Sprintf("D%07d", i*7)
		w := want{file: int32(i / chunk), row: int64(i) + 2, aux: int32(i % 1000)}
		if i == n-1 {
			w.row = math.MaxUint32 + 5
		}
		if _, ok := s.find(digestOf(key)); ok {
			t.Fatalf("%s found before it was added", key)
		}
		s.add(digestOf(key), w.file, w.row, w.aux, true)
		ref[key] = w
	}
	if s.len() != n {
		t.Fatalf("len %d, want %d", s.len(), n)
	}
	for key, w := range ref {
		o, ok := s.find(digestOf(key))
		if !ok {
			t.Fatalf("%s lost", key)
		}
		file, row := s.at(o)
		aux, kept := s.auxOf(o)
		if file != w.file || row != w.row || !kept || aux != w.aux {
			t.Fatalf("%s: file %d row %d aux %d (%v), want %+v", key, file, row, aux, kept, w)
		}
	}
	for i := range 1000 {
		if _, ok := s.find(digestOf(fmt.Sprintf("D%07d", i*7+3))); ok {
			t.Fatalf("key %d never added is found", i*7+3)
		}
	}
}

// A digest whose first half is 0 is found and told from one of 1,
// and one that shares its first half with another is told apart by the
// rest.
func TestKeySetEdgeDigests(t *testing.T) {
	s := newKeySet()
	zero, twin := digest{hi: 0, lo: 7}, digest{hi: 0, lo: 8}
	one := digest{hi: 1, lo: 7}
	s.add(zero, 0, 2, 0, false)
	if _, ok := s.find(twin); ok {
		t.Fatal("a digest differing in its last 32 bits is taken for another")
	}
	if _, ok := s.find(one); ok {
		t.Fatal("hi 1 is taken for hi 0")
	}
	s.add(twin, 0, 3, 0, false)
	s.add(one, 0, 4, 0, false)
	for d, row := range map[digest]int64{zero: 2, twin: 3, one: 4} {
		o, ok := s.find(d)
		if _, r := s.at(o); !ok || r != row {
			t.Fatalf("%+v: row %d (%v), want %d", d, r, ok, row)
		}
	}
	if _, kept := s.auxOf(0); kept {
		t.Fatal("aux reported for a set that keeps none")
	}
}

// A frozen set answers every question a later table asks exactly as the
// probe table did: which keys it holds, with which aux values, and which
// it does not; digests that share their first bits (one bucket) are told
// apart, and an empty set holds nothing.
func TestFrozenKeySetAnswersAsBefore(t *testing.T) {
	s := newKeySet()
	ref := map[digest]int32{}
	for i := range 5*chunk + 3 {
		d := digestOf(fmt.Sprintf("D%07d", i*7))
		s.add(d, 0, int64(i)+2, int32(i%977), true)
		ref[d] = int32(i % 977)
	}
	for _, d := range []digest{{hi: 5 << 60, lo: 1}, {hi: 5<<60 | 1, lo: 1}, {hi: 5 << 60, lo: 2}} { // one bucket
		s.add(d, 0, 9, -3, true)
		ref[d] = -3
	}
	s.freeze()
	if s.len() != len(ref) {
		t.Fatalf("len %d after freeze, want %d", s.len(), len(ref))
	}
	for d, aux := range ref {
		o, ok := s.find(d)
		got, kept := s.auxOf(o)
		if !ok || !kept || got != aux {
			t.Fatalf("%+v: found %v, aux %d (%v), want %d", d, ok, got, kept, aux)
		}
	}
	for i := range 2000 {
		if _, ok := s.find(digestOf(fmt.Sprintf("D%07d", i*7+3))); ok {
			t.Fatalf("key %d never added is found", i*7+3)
		}
	}
	if _, ok := s.find(digest{hi: 5 << 60, lo: 3}); ok {
		t.Fatal("a digest sharing its first half with two keys is found")
	}
	empty := newKeySet()
	empty.freeze()
	if _, ok := empty.find(digestOf("x")); ok || empty.len() != 0 {
		t.Fatal("an empty frozen set holds a key")
	}
}

// Room reserved for n keys takes n keys, and a fifth more (an export's
// row count is estimated from its first rows), without another rehash,
// in a table sized to them rather than to the next power of two; a set
// grown that way still finds every key and no other, digests at both
// ends of the table included.
func TestKeySetReserve(t *testing.T) {
	s := newKeySet()
	s.add(digestOf("first"), 0, 2, 0, false)
	s.reserve(100_000)
	size := len(s.slots)
	if h := s.homes(); h > 100_001*10/7+2 {
		t.Fatalf("%d places for 100,001 keys: more than 10/7 of them", h)
	}
	for i := range 120_000 {
		s.add(digestOf(fmt.Sprintf("K%d", i)), 0, int64(i)+3, 0, false)
	}
	if len(s.slots) != size {
		t.Fatalf("the table grew from %d to %d slots within what was reserved", size, len(s.slots))
	}
	last := digest{hi: math.MaxUint64, lo: 1} // probes from the last home, into the spill
	s.add(last, 0, 9, 0, false)
	s.add(digest{hi: math.MaxUint64, lo: 2}, 0, 10, 0, false)
	if o, ok := s.find(digest{hi: math.MaxUint64, lo: 2}); !ok {
		t.Fatal("a digest placed past the last home is lost")
	} else if _, row := s.at(o); row != 10 {
		t.Fatalf("the spilled digest is at row %d, want 10", row)
	}
	for i := range 120_000 {
		if o, ok := s.find(digestOf(fmt.Sprintf("K%d", i))); !ok {
			t.Fatalf("K%d lost", i)
		} else if _, row := s.at(o); row != int64(i)+3 {
			t.Fatalf("K%d at row %d, want %d", i, row, i+3)
		}
	}
	if _, ok := s.find(digestOf("first")); !ok {
		t.Fatal("the key added before the reserve is lost")
	}
	if _, ok := s.find(digestOf("K120000")); ok {
		t.Fatal("a key never added is found")
	}
}
