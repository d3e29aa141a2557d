package pipe

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// The consumer sees every value in the order it was emitted, and the
// producer's error once the stream ends.
func TestAheadKeepsOrderAndError(t *testing.T) {
	boom := errors.New("boom")
	s := Ahead(2, nil, func(emit func(int) bool) error {
		for i := range 100 {
			if !emit(i) {
				return nil
			}
		}
		return boom
	})
	want := 0
	for {
		v, ok := s.Next()
		if !ok {
			break
		}
		if v != want {
			t.Fatalf("got %d, want %d", v, want)
		}
		want++
	}
	if want != 100 || !errors.Is(s.Err(), boom) {
		t.Fatalf("%d values, err %v; want 100 and boom", want, s.Err())
	}
}

// Stopping early releases every value emitted and not taken, and the
// producer stops.
func TestAheadStopReleasesWhatIsQueued(t *testing.T) {
	var live atomic.Int64
	s := Ahead(4, func(int) { live.Add(-1) }, func(emit func(int) bool) error {
		for i := 0; ; i++ {
			live.Add(1)
			if !emit(i) {
				live.Add(-1) // the producer releases what it could not hand over
				return nil
			}
		}
	})
	for range 3 {
		if _, ok := s.Next(); !ok {
			t.Fatal("stream ended early")
		}
		live.Add(-1)
	}
	s.Stop()
	if n := live.Load(); n != 0 {
		t.Fatalf("%d values never released", n)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
}

// A sink consumes in order; after its first error it consumes nothing
// more, Put says so, Close returns the error, and every value is released.
func TestBehindStopsAtFirstError(t *testing.T) {
	var got []int
	var released atomic.Int64
	boom := errors.New("disk full")
	s := Behind(2, func(int) { released.Add(1) }, func(v int) error {
		if v == 5 {
			return boom
		}
		got = append(got, v)
		return nil
	})
	put := 0
	for i := range 50 {
		put++
		if !s.Put(i) {
			break
		}
	}
	if err := s.Close(); !errors.Is(err, boom) {
		t.Fatalf("Close: %v, want the consumer's error", err)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("consumed %v, want 0..4 in order", got)
		}
	}
	if len(got) != 5 || released.Load() != int64(put) {
		t.Fatalf("consumed %d, released %d of %d put; want 5 consumed and every value released", len(got), released.Load(), put)
	}
}

// Wait hands the result over; Discard cancels a job still running and
// releases what it made, but never a result already handed over.
func TestGoWaitAndDiscard(t *testing.T) {
	j := Go(context.Background(), func(context.Context) (int, error) { return 42, nil })
	if v, err := j.Wait(); v != 42 || err != nil {
		t.Fatalf("Wait: %d, %v", v, err)
	}
	j.Discard(func(int) { t.Fatal("released a result Wait handed over") })

	started := make(chan struct{})
	released := 0
	k := Go(context.Background(), func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		return 7, ctx.Err()
	})
	<-started
	k.Discard(func(v int) { released += v })
	if released != 7 {
		t.Fatalf("Discard released %d, want the job's result 7", released)
	}
	var none *Job[int]
	none.Discard(nil)
}

// Map's results come in the order of its input however long each takes,
// several run at once, and the input's error comes through.
func TestMapKeepsOrderAcrossWorkers(t *testing.T) {
	boom := errors.New("boom")
	in := Ahead(2, nil, func(emit func(int) bool) error {
		for i := range 200 {
			if !emit(i) {
				return nil
			}
		}
		return boom
	})
	var running, most atomic.Int64
	out := Map(in, 3, 2, nil, func(v int) int {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Duration((v*7)%5) * 100 * time.Microsecond) // uneven work
		running.Add(-1)
		return v * v
	})
	want := 0
	for v, ok := out.Next(); ok; v, ok = out.Next() {
		if v != want*want {
			t.Fatalf("result %d is %d, want %d", want, v, want*want)
		}
		want++
	}
	if want != 200 || !errors.Is(out.Err(), boom) {
		t.Fatalf("%d results, err %v; want 200 and boom", want, out.Err())
	}
	if m := most.Load(); m < 2 || m > 3 {
		t.Fatalf("at most %d ran at once, want 2 or 3 of the 3 workers", m)
	}
}

// Stopping Map's output early releases every input value and every
// result not taken, and stops the input.
func TestMapStopReleasesEverything(t *testing.T) {
	var live atomic.Int64
	in := Ahead(4, func(int) { live.Add(-1) }, func(emit func(int) bool) error {
		for i := 0; ; i++ {
			live.Add(1)
			if !emit(i) {
				live.Add(-1)
				return nil
			}
		}
	})
	// each input becomes one result: the count stays one per value alive
	out := Map(in, 2, 3, func(int) { live.Add(-1) }, func(v int) int { return v })
	for range 5 {
		if _, ok := out.Next(); !ok {
			t.Fatal("stream ended early")
		}
		live.Add(-1)
	}
	out.Stop()
	if n := live.Load(); n != 0 {
		t.Fatalf("%d values never released", n)
	}
	if err := out.Err(); err != nil {
		t.Fatal(err)
	}
}
