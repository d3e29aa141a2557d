// Package keys numbers string keys (deal ids, customer ids, partner ids)
// densely, 0, 1, 2, ... in insertion order, without a Go map: open
// addressing over one uint64 per slot holding the position and the high
// bits of the key's hash, so a probe touches one cache line and most probes
// compare no string. Inserting checks for the key and adds it in one probe
// sequence (one hash), where a map needs a lookup and an assignment.
// Positions never depend on the random hash seed; only the probe order does.
//
// The index copies the keys into pages of one MiB: the garbage collector
// never scans ten million string headers, and the keys' bytes grow a page
// at a time, never copied to a larger arena (which for ten million keys
// held the old and the new arena at once, and up to a quarter unused).
package keys

import (
	"hash/maphash"
	"math"
	"math/bits"
	"strings"
	"unsafe"
)

// Index numbers keys. Lookups may run concurrently once inserts are done.
type Index struct {
	seed   maphash.Seed
	mask   uint64
	slots  []uint64         // tag<<32 | position+1; 0 = empty
	pages  [][]byte         // the keys' bytes in position order, a page at a time; written bytes never change
	ends   []uint32         // where key i ends in the pages' address space (key): at most 4 GiB of keys
	big    map[int32]string // keys longer than bigKey, kept apart (their ends step 0)
	warmed uint64           // InsertAll's early reads of slots, summed
}

// The pages: key bytes at address a are pages[a>>pageBits][a&pageMask].
// A key never spans two pages: one that does not fit in the rest of a page
// starts the next, so key i starts at ends[i-1] (ends[-1] = 0), or at the
// start of the page it ends in when that is a later page than ends[i-1]'s.
const (
	pageBits = 20
	pageSize = 1 << pageBits
	pageMask = pageSize - 1
	bigKey   = pageSize / 16
)

// New returns an index with room for n keys before it grows.
func New(n int) *Index {
	x := &Index{seed: maphash.MakeSeed()}
	x.resize(slotsFor(n))
	x.ends = make([]uint32, 0, n)
	return x
}

// key is key i as a string over its page, without copying.
func (x *Index) key(i int32) string {
	lo, hi := uint32(0), x.ends[i]
	if i > 0 {
		lo = x.ends[i-1]
	}
	if lo == hi {
		return x.big[i] // "" unless kept apart
	}
	if pg := (hi - 1) >> pageBits; pg != lo>>pageBits {
		lo = pg << pageBits
	}
	return unsafe.String(&x.pages[lo>>pageBits][lo&pageMask], hi-lo)
}

// store copies key s, number i, into the pages and returns where it ends.
func (x *Index) store(i int32, s string) uint32 {
	end := uint32(0)
	if i > 0 {
		end = x.ends[i-1]
	}
	if len(s) > bigKey {
		if x.big == nil {
			x.big = map[int32]string{}
		}
		x.big[i] = strings.Clone(s)
		return end
	}
	if len(s) == 0 {
		return end
	}
	if uint64(end)+uint64(len(s))+pageSize > math.MaxUint32 {
		panic("keys: more than 4 GiB of keys in one index")
	}
	pg := int(end >> pageBits)
	if pg == len(x.pages) || int(end&pageMask)+len(s) > pageSize {
		// the first page grows with the keys (an index of a few keys
		// stays small); every later one is a page from the start
		size := pageSize
		if len(x.pages) == 0 {
			size = min(pageSize, 4096)
		}
		pg = len(x.pages)
		x.pages = append(x.pages, make([]byte, 0, size))
	}
	x.pages[pg] = append(x.pages[pg], s...)
	return uint32(pg)<<pageBits + uint32(len(x.pages[pg]))
}

// slotsFor is the table size for n keys: a power of two above n / maxLoad.
func slotsFor(n int) int {
	return 1 << bits.Len64(uint64(n*10/7))
}

// full reports whether n keys would load the table past maxLoad, 0.7: a
// linear probe then still touches about two slots on a hit and four on a
// miss, mostly in one cache line, and a table of ten million keys takes
// 128 MB instead of the 256 MB a load of one half needs.
func (x *Index) full(n int) bool { return 10*n > 7*len(x.slots) }

// Len is the number of keys.
func (x *Index) Len() int { return len(x.ends) }

// Key is the key at position i. It stays valid, and unchanged, for as long
// as the caller holds it.
func (x *Index) Key(i int32) string { return x.key(i) }

// Freeze drops the lookup table once every key is in and every lookup
// done, keeping the keys: Len and Key still answer, and the table's 16 to
// 32 bytes a key are free. Insert and Lookup panic after it.
func (x *Index) Freeze() { x.slots, x.mask = nil, 0 }

// Reserve makes room for n more keys without growing on the way.
func (x *Index) Reserve(n int) {
	want := len(x.ends) + n
	if x.full(want) {
		x.resize(slotsFor(want))
	}
	if cap(x.ends) < want {
		ends := make([]uint32, len(x.ends), want)
		copy(ends, x.ends)
		x.ends = ends
	}
}

func (x *Index) resize(size int) {
	x.slots = make([]uint64, size)
	x.mask = uint64(size - 1)
	for i := range x.ends {
		h := maphash.String(x.seed, x.key(int32(i)))
		j := h & x.mask
		for x.slots[j] != 0 {
			j = (j + 1) & x.mask
		}
		x.slots[j] = h>>32<<32 | uint64(i+1)
	}
}

// Insert adds a copy of s at the next position unless present; it returns
// the position of s and whether it was added.
func (x *Index) Insert(s string) (int32, bool) {
	x.mustLookUp()
	if x.full(len(x.ends) + 1) {
		x.resize(slotsFor(max(2*len(x.ends), 8)))
	}
	return x.insert(s, maphash.String(x.seed, s))
}

// insert is Insert of s, whose hash is h, into a table with room for it.
func (x *Index) insert(s string, h uint64) (int32, bool) {
	tag := h >> 32 << 32
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			p := int32(len(x.ends))
			x.slots[j] = tag | uint64(p+1)
			x.ends = append(x.ends, x.store(p, s))
			return p, true
		}
		if v&^0xffffffff == tag && x.key(int32(v)-1) == s {
			return int32(v) - 1, false
		}
	}
}

// insertAhead is how many keys InsertAll hashes before it inserts them.
const insertAhead = 16

// InsertAll inserts key(0), ..., key(n-1) in that order, as Insert one
// after the other would, and hands each result to got (the key's
// position, and whether it was added); it stops at the first i for which
// got returns false, and returns that i, or -1. In a table of millions of
// keys every insert's slot is a cache miss; hashing a few keys and
// reading their slots first lets those misses be served together instead
// of one after the other.
func (x *Index) InsertAll(n int, key func(i int) string, got func(i int, pos int32, added bool) bool) int {
	x.mustLookUp()
	if x.full(len(x.ends) + n) { // room for every key being new: no growth between a slot's read and its use
		x.resize(slotsFor(max(2*len(x.ends), len(x.ends)+n)))
	}
	var hs [insertAhead]uint64
	var sink uint64
	defer func() { x.warmed += sink }() // kept, so that the reads are not optimised away
	for lo := 0; lo < n; lo += insertAhead {
		hi := min(lo+insertAhead, n)
		for i := lo; i < hi; i++ {
			h := maphash.String(x.seed, key(i))
			hs[i-lo] = h
			sink += x.slots[h&x.mask]
		}
		for i := lo; i < hi; i++ {
			if p, added := x.insert(key(i), hs[i-lo]); !got(i, p, added) {
				return i
			}
		}
	}
	return -1
}

// NewOnly is got for InsertAll of keys that must all be new.
func NewOnly(_ int, _ int32, added bool) bool { return added }

func (x *Index) mustLookUp() {
	if x.slots == nil {
		panic("keys: Insert or Lookup after Freeze")
	}
}

// Lookup returns the position of s.
func (x *Index) Lookup(s string) (int32, bool) {
	x.mustLookUp()
	h := maphash.String(x.seed, s)
	tag := h >> 32 << 32
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			return -1, false
		}
		if v&^0xffffffff == tag && x.key(int32(v)-1) == s {
			return int32(v) - 1, true
		}
	}
}

// LookupNear is Lookup trying positions hint and hint+1 first: rows that
// follow their parents' order (deal partners listed deal by deal, as
// exports usually are) then cost a string compare instead of a hash
// probe at a random place in a large table. Any hint gives the same answer.
func (x *Index) LookupNear(s string, hint int32) (int32, bool) {
	for _, h := range [2]int32{hint, hint + 1} {
		if h >= 0 && int(h) < len(x.ends) && x.key(h) == s {
			return h, true
		}
	}
	return x.Lookup(s)
}
