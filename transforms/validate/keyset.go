package validate

import (
	"hash/maphash"
	"math"
	"math/bits"
	"unsafe"
)

// A key is stored as a 96-bit digest: two seeded hashes of its text (the
// runtime's AES-based string hash). A load of n keys of one table takes
// two distinct keys for one with a chance of about n²/2⁹⁷: 6·10⁻¹² for a
// billion keys. The seeds are drawn per process, so no input can be built
// to collide. While its table loads, a key costs a 16-byte probe slot (the
// whole digest and the key's ordinal, so a probe reads one cache line) and
// 4 bytes of row (8 when an aux value is kept): about 27 bytes, not the 60
// of a Go map of 128-bit digests. A table reserved for the rows an export
// will have (reserve) is sized to them, 7/10 full, not rounded up to a
// power of two (which left a table of 17.7M keys 55% full: 134 MB more);
// it doubles only past 17/20, so an estimate a fifth short costs nothing.
// Once the table is in, a frozen set (freeze) keeps about 17 bytes a key.

var seedHi, seedLo = maphash.MakeSeed(), maphash.MakeSeed()

type digest struct {
	hi uint64
	lo uint32
}

func digestOf(key string) digest {
	return digest{hi: maphash.String(seedHi, key), lo: uint32(maphash.String(seedLo, key))}
}

func digestOfBytes(key []byte) digest {
	return digest{hi: maphash.Bytes(seedHi, key), lo: uint32(maphash.Bytes(seedLo, key))}
}

// chunk is how many keys' rows (or aux values) one block of a keySet
// holds: rows grow by whole blocks, never by copying, and a block (1 MiB)
// is memory of its own (offheap.go), so the garbage collector does not
// grant the rows as much heap again before it collects.
const chunk = 1 << 18

// blocks is a growing array of T, a block of chunk values at a time.
type blocks[T any] struct {
	b   [][]T
	mem []*mapping
}

// set sets value o, o being at most one past the last value set.
func (bl *blocks[T]) set(owner *keySet, o uint32, v T) {
	c := int(o / chunk)
	if c == len(bl.b) {
		b, m := offheapSlice[T](owner, chunk)
		bl.b, bl.mem = append(bl.b, b), append(bl.mem, m)
	}
	bl.b[c][o%chunk] = v
}

func (bl *blocks[T]) at(o uint32) T { return bl.b[o/chunk][o%chunk] }

func (bl *blocks[T]) free() {
	for _, m := range bl.mem {
		m.free()
	}
	*bl = blocks[T]{}
}

// keySet is one table's loaded (or quarantined) keys and where each was
// loaded: an open-addressing table of digests (linear probing) and, per
// key in the order loaded, the rest of its digest, its row and its aux
// value. The file of a key is found from the ordinal at which each file
// began, since a table's files load one after another.
type keySet struct {
	slots  []slot
	mem    *mapping // the slots' own memory, when large (offheap.go)
	rows   blocks[uint32]
	aux    blocks[int32] // only when keepAux
	keep   bool          // keep aux values: decided by the first key added
	big    map[uint32]int64
	starts []fileStart
	n      uint32
	frozen *frozenSet // after freeze: the set's only form
}

// slot is one place of the probe table: a whole digest and its key's
// ordinal, so that a probe reads one cache line, not three.
type slot struct {
	hi  uint64
	lo  uint32
	ord uint32 // the key's ordinal + 1; 0 = empty
}

type fileStart struct {
	ord  uint32
	file int32
}

func newKeySet() *keySet { return &keySet{} }

func (s *keySet) len() int { return int(s.n) }

// find returns the ordinal of d, if it was added.
func (s *keySet) find(d digest) (uint32, bool) {
	if s.frozen != nil {
		return s.frozen.find(d)
	}
	if s.n == 0 {
		return 0, false
	}
	for i := s.home(d.hi); i < uint64(len(s.slots)); i++ {
		sl := &s.slots[i]
		if sl.ord == 0 {
			return 0, false
		}
		if sl.hi == d.hi && sl.lo == d.lo {
			return sl.ord - 1, true
		}
	}
	return 0, false
}

// add records d, not yet in the set, as loaded from file at row, with
// its aux value when keep is set (for every key of the set, or none).
func (s *keySet) add(d digest, file int32, row int64, aux int32, keep bool) {
	if s.frozen != nil {
		panic("validate: a key added to a frozen set")
	}
	if s.n == math.MaxUint32-1 {
		panic("validate: more than 4294967294 keys in one table")
	}
	if s.n == 0 {
		s.keep = keep
	}
	if uint64(s.n+1)*20 > uint64(s.homes())*17 {
		s.grow(s.homes() * 2)
	}
	o := s.n
	s.n++
	if len(s.starts) == 0 || s.starts[len(s.starts)-1].file != file {
		s.starts = append(s.starts, fileStart{ord: o, file: file})
	}
	if row >= 0 && row < math.MaxUint32 {
		s.rows.set(s, o, uint32(row))
	} else {
		s.rows.set(s, o, math.MaxUint32)
		if s.big == nil {
			s.big = map[uint32]int64{}
		}
		s.big[o] = row
	}
	if s.keep {
		s.aux.set(s, o, aux)
	}
	for !s.insert(slot{hi: d.hi, lo: d.lo, ord: o + 1}) {
		s.grow(2 * s.homes())
	}
}

// touch reads the first place a lookup of d probes (Validator.warm).
func (s *keySet) touch(d digest) uint64 {
	if f := s.frozen; f != nil {
		j := f.start[d.hi>>f.shift]
		if int(j) < len(f.keys) {
			return f.keys[j].hi
		}
		return uint64(j)
	}
	if len(s.slots) == 0 {
		return 0
	}
	return s.slots[s.home(d.hi)].hi
}

// The probe table has homes places where a probe can start and spill
// places after them, and a probe never wraps around: a digest's home is
// its place in proportion to hi (the high word of hi times homes), so a
// table can have any size, not only a power of two, and be sized to its
// keys (reserve); and the keys lie in the order of their digests' first
// words but for the order within a run, which lets freeze sort them where
// they lie. A run that would pass the end grows the table instead: a run
// of linear probing at load a passes L places with a chance of about
// exp(-L(a-1-ln a)), below 10^-20 for 4,096 places at 17/20 full.
const spill = 4096

func (s *keySet) homes() int { return max(len(s.slots)-spill, 0) }

func (s *keySet) home(hi uint64) uint64 {
	h, _ := bits.Mul64(hi, uint64(s.homes()))
	return h
}

// insert puts sl into the first free slot of its run; false when the run
// reaches the end of the table.
func (s *keySet) insert(sl slot) bool {
	for i := s.home(sl.hi); i < uint64(len(s.slots)); i++ {
		if s.slots[i].ord == 0 {
			s.slots[i] = sl
			return true
		}
	}
	return false
}

// reserve makes room for n more keys at once: the table is rehashed once,
// not at every doubling on the way, and the old and new tables are not
// held together at the largest size.
func (s *keySet) reserve(n int) {
	if s.frozen != nil || n <= 0 {
		return
	}
	if want := (uint64(s.n) + uint64(n)) * 10 / 7; want > uint64(s.homes()) {
		s.grow(int(want) + 1)
	}
}

// grow rehashes the table into size homes (at least 1,024).
func (s *keySet) grow(size int) {
	size = max(size, 1<<10)
	old, oldMem := s.slots, s.mem
	for {
		s.slots, s.mem = offheapSlice[slot](s, size+spill)
		ok := true
		for _, sl := range old {
			if sl.ord != 0 && !s.insert(sl) {
				ok = false
				break
			}
		}
		if ok {
			break
		}
		s.mem.free()
		size *= 2
	}
	oldMem.free()
}

// release gives the set's own memory back; the set is not used again.
func (s *keySet) release() {
	s.mem.free()
	s.rows.free()
	s.aux.free()
	if s.frozen != nil {
		s.frozen.mem.free()
		s.frozen.startMem.free()
	}
	*s = keySet{}
}

// at is where the key of ordinal o was loaded.
func (s *keySet) at(o uint32) (file int32, row int64) {
	file = s.starts[0].file
	for _, st := range s.starts {
		if st.ord > o {
			break
		}
		file = st.file
	}
	r := s.rows.at(o)
	if r == math.MaxUint32 {
		return file, s.big[o]
	}
	return file, int64(r)
}

// auxOf is the aux value kept with ordinal o.
func (s *keySet) auxOf(o uint32) (int32, bool) {
	if !s.keep {
		return 0, false
	}
	if s.frozen != nil {
		return s.frozen.keys[o].aux, true
	}
	return s.aux.at(o), true
}

// A table whose rows are all in is only asked whether it holds a key and
// for the key's aux value, never again where the key was loaded or to
// add one. freeze turns its set into a frozenSet: the digests sorted into
// buckets by their first bits, with the aux values beside them, 16 bytes
// a key and about 1 of bucket starts, instead of the probe table's 27.
// The deals' keys are held from their own load until CSAT is in, through
// the deal_partners load, whose own set then grows beside them.

// frozenSet is a set's digests in buckets by their first bits (bucket b
// holds entries start[b] to start[b+1]); an entry's index is the key's
// ordinal from then on (auxOf).
type frozenSet struct {
	shift    uint
	start    []uint32
	keys     []frozenKey
	mem      *mapping // the keys' own memory, when large
	startMem *mapping // start's
}

// frozenKey is a key's digest and aux value, side by side: one cache line.
type frozenKey struct {
	hi  uint64
	lo  uint32
	aux int32
}

func (f *frozenSet) find(d digest) (uint32, bool) {
	b := d.hi >> f.shift
	for j := f.start[b]; j < f.start[b+1]; j++ {
		if k := &f.keys[j]; k.hi == d.hi && k.lo == d.lo {
			return j, true
		}
	}
	return 0, false
}

// freeze makes the set a frozenSet, about four keys a bucket, and frees
// the rows. Only find and auxOf work afterwards. It works in the probe
// table's own memory: a frozen key is the size of a slot, the slots hold
// the keys nearly in order of their digests' first words (home), so the
// keys are moved down over the empty slots, each with its aux value in
// place of its ordinal, sorted where they lie (only within runs are they
// out of order), and the table's unused end is given back. A frozen copy
// beside the table held both at once: at 20M deals, 330 MB more at the
// ingest's peak.
func (s *keySet) freeze() {
	if s.frozen != nil {
		return
	}
	bits := uint(2)
	for uint64(1)<<(bits+2) < uint64(s.n) {
		bits++
	}
	f := &frozenSet{shift: 64 - bits}
	f.start, f.startMem = offheapSlice[uint32](f, 1<<bits+1)
	var keys []frozenKey
	if len(s.slots) > 0 {
		keys = unsafe.Slice((*frozenKey)(unsafe.Pointer(unsafe.SliceData(s.slots))), len(s.slots))
	}
	w := 0
	for r := range s.slots {
		sl := s.slots[r] // read before keys[w] (the same memory, w <= r) is written
		if sl.ord == 0 {
			continue
		}
		k := frozenKey{hi: sl.hi, lo: sl.lo}
		if s.keep {
			k.aux = s.aux.at(sl.ord - 1)
		}
		keys[w] = k
		w++
	}
	keys = keys[:w]
	for i := 1; i < len(keys); i++ { // insertion sort: each key is at most a run away
		k := keys[i]
		j := i
		for ; j > 0 && keys[j-1].hi > k.hi; j-- {
			keys[j] = keys[j-1]
		}
		keys[j] = k
	}
	for _, k := range keys {
		f.start[k.hi>>f.shift+1]++
	}
	for b := 1; b < len(f.start); b++ {
		f.start[b] += f.start[b-1]
	}
	f.keys, f.mem = keys, s.mem
	f.mem.shrink(w * int(unsafe.Sizeof(frozenKey{})))
	s.rows.free()
	s.aux.free()
	*s = keySet{keep: s.keep, n: s.n, frozen: f}
}
