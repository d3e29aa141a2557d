package attribution

import (
	"hash/maphash"
	"math/bits"
)

// strIndex maps strings to their position in a key list without a Go map:
// open addressing over int32 slots, keys compared only on a hash match. It
// holds no copies of the keys (key(i) reads them), so building it over ten
// million deal ids costs one int32 and one uint32 per slot. Lookups are
// deterministic whatever the random hash seed: only probe order changes.
type strIndex struct {
	seed  maphash.Seed
	mask  uint64
	slots []int32  // position+1; 0 = empty
	tags  []uint32 // high bits of the hash, to skip most string compares
	key   func(i int) string
}

func newStrIndex(n int, key func(i int) string) *strIndex {
	size := uint64(1) << bits.Len64(uint64(2*n+1))
	return &strIndex{seed: maphash.MakeSeed(), mask: size - 1, slots: make([]int32, size), tags: make([]uint32, size), key: key}
}

// insert adds position i under s; it returns the position already holding s
// and false when s is a duplicate.
func (x *strIndex) insert(s string, i int32) (int32, bool) {
	h := maphash.String(x.seed, s)
	tag := uint32(h >> 32)
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			x.slots[j], x.tags[j] = i+1, tag
			return i, true
		}
		if x.tags[j] == tag && x.key(int(v-1)) == s {
			return v - 1, false
		}
	}
}

// lookup returns the position of s.
func (x *strIndex) lookup(s string) (int32, bool) {
	h := maphash.String(x.seed, s)
	tag := uint32(h >> 32)
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			return -1, false
		}
		if x.tags[j] == tag && x.key(int(v-1)) == s {
			return v - 1, true
		}
	}
}
