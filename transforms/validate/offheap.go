package validate

import (
	"os"
	"runtime"
	"unsafe"
)

// The key sets are the one large, long-lived thing a load holds: hundreds
// of megabytes of digests at tens of millions of keys, with no pointers
// in them. On the Go heap they count twice in the peak memory, once as
// themselves and once as the headroom the garbage collector grants every
// live byte before it runs again, which the load's short-lived batches
// then fill. So their big arrays live in memory of their own (mapped
// from the system where it can, offheap_unix.go), freed the moment a set
// grows, freezes or is forgotten, or else when the set is collected.

// bigArray is the size from which an array leaves the Go heap.
const bigArray = 1 << 20

// mapping is memory taken from the system; free gives it back once.
type mapping struct{ mem []byte }

// shrink gives the memory past its first n bytes back to the system,
// whole pages of it, keeping the mapping (free unmaps it all): Go's
// munmap takes only a whole mapping, and a hole could be mapped again by
// someone else before free.
func (m *mapping) shrink(n int) {
	if m == nil || m.mem == nil {
		return
	}
	page := os.Getpagesize()
	if n = (n + page - 1) / page * page; n < len(m.mem) {
		dropPages(m.mem[n:])
	}
}

func (m *mapping) free() {
	if m != nil && m.mem != nil {
		unmapMemory(m.mem)
		m.mem = nil
	}
}

// offheapSlice is a zeroed slice of n values of T (no pointers in T), in
// memory of its own when it is large: then the mapping is returned, to
// be freed when the slice is no longer used, and freed anyway once owner
// is unreachable.
func offheapSlice[T any, O any](owner *O, n int) ([]T, *mapping) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size < bigArray {
		return make([]T, n), nil
	}
	mem, ok := mapMemory(size)
	if !ok {
		return make([]T, n), nil
	}
	m := &mapping{mem: mem}
	runtime.AddCleanup(owner, (*mapping).free, m)
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[0])), n), m
}
