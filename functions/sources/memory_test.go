package sources

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// peakAllocator records the most Arrow memory held at once.
type peakAllocator struct {
	*memory.CheckedAllocator
	peak int
}

func (a *peakAllocator) note() {
	if n := a.CurrentAlloc(); n > a.peak {
		a.peak = n
	}
}

func (a *peakAllocator) Allocate(size int) []byte {
	b := a.CheckedAllocator.Allocate(size)
	a.note()
	return b
}

func (a *peakAllocator) Reallocate(size int, b []byte) []byte {
	b = a.CheckedAllocator.Reallocate(size, b)
	a.note()
	return b
}

func TestCSVStreamsInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 50 MB file")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "deals.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "deal_id,customer_id,created_date,status,amount_usd,partner_name,note")
	const rows = 650_000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(w, "D%08d,C%06d,2024-01-%02d,won,%d.50,Zürich Daten AG %d,\"note, with comma\"\n", i, i%100000, i%28+1, i%100000, i%977)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)

	alloc := &peakAllocator{CheckedAllocator: memory.NewCheckedAllocator(memory.NewGoAllocator())}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var heapPeak uint64

	r, err := Open(context.Background(), os.DirFS(dir), File{Source: "deals", Path: "deals.csv", Format: CSV}, Options{Alloc: alloc})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	batches := 0
	for r.Next() {
		n += r.Record().NumRows()
		if batches++; batches%8 == 0 {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > heapPeak {
				heapPeak = ms.HeapAlloc
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n != rows || r.RowsRead() != rows {
		t.Fatalf("read %d rows, want %d", n, rows)
	}
	if alloc.CurrentAlloc() != 0 {
		t.Errorf("%d bytes of Arrow memory not released", alloc.CurrentAlloc())
	}
	const limit = 8 << 20
	t.Logf("file %d MB; Arrow peak %.1f MB; Go heap peak %.1f MB over a base of %.1f MB",
		info.Size()>>20, float64(alloc.peak)/(1<<20), float64(heapPeak)/(1<<20), float64(base)/(1<<20))
	if alloc.peak > limit {
		t.Errorf("Arrow memory peaked at %d bytes for a %d byte file; want under %d", alloc.peak, info.Size(), limit)
	}
	// The Go heap holds garbage between collections, so allow more, but far
	// less than the file.
	if heapPeak > base+32<<20 {
		t.Errorf("Go heap grew to %d bytes (base %d) for a %d byte file", heapPeak, base, info.Size())
	}
}
