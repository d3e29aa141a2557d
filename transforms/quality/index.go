package quality

import (
	"hash/maphash"
)

// strIndex maps strings to dense positions 0, 1, 2, ... in insertion order
// (keys[i] is the string at position i) without a Go map: open addressing
// over int32 slots, with the high bits of each hash kept beside its slot so
// that most probes compare no string. Inserting checks for the key and adds
// it in one probe sequence (one hash), where a map needs a lookup and an
// assignment. It doubles when half full. Positions do not depend on the
// random hash seed: only the probe order does.
type strIndex struct {
	seed  maphash.Seed
	mask  uint64
	slots []int32  // position+1; 0 = empty
	tags  []uint32 // high bits of the hash
	keys  []string
}

func newStrIndex() *strIndex {
	const size = 1 << 10
	return &strIndex{seed: maphash.MakeSeed(), mask: size - 1, slots: make([]int32, size), tags: make([]uint32, size)}
}

// Len is the number of keys.
func (x *strIndex) Len() int { return len(x.keys) }

// reserve makes room for n more keys without growing on the way.
func (x *strIndex) reserve(n int) {
	want := 2 * (len(x.keys) + n)
	if want <= len(x.slots) {
		return
	}
	size := len(x.slots)
	for size < want {
		size *= 2
	}
	x.slots = make([]int32, size)
	x.tags = make([]uint32, size)
	x.mask = uint64(size - 1)
	for i, k := range x.keys {
		h := maphash.String(x.seed, k)
		j := h & x.mask
		for x.slots[j] != 0 {
			j = (j + 1) & x.mask
		}
		x.slots[j], x.tags[j] = int32(i)+1, uint32(h>>32)
	}
	if cap(x.keys) < len(x.keys)+n {
		keys := make([]string, len(x.keys), len(x.keys)+n)
		copy(keys, x.keys)
		x.keys = keys
	}
}

// insert adds s at the next position unless present; it returns the
// position of s and whether it was added. The caller keeps s alive.
func (x *strIndex) insert(s string) (int32, bool) {
	if 2*(len(x.keys)+1) > len(x.slots) {
		x.reserve(max(len(x.keys), 1))
	}
	h := maphash.String(x.seed, s)
	tag := uint32(h >> 32)
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			p := int32(len(x.keys))
			x.slots[j], x.tags[j] = p+1, tag
			x.keys = append(x.keys, s)
			return p, true
		}
		if x.tags[j] == tag && x.keys[v-1] == s {
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
		if x.tags[j] == tag && x.keys[v-1] == s {
			return v - 1, true
		}
	}
}
