// Package pipe is the jobs' one concurrency kit: the stages of a pipeline
// on their own goroutines, handing values on in order through short
// queues, so that reading, computing and writing use more than one core
// while the output stays byte for byte what the stages would give one
// after the other. Ahead runs a producer ahead of its consumer (ingest's
// reader, score's table reads), Behind runs a consumer behind its producer
// (ingest's writer), Map runs one stage on several goroutines and keeps
// its order (ingest's per-row validation), Go runs one piece of work
// beside the caller (score's attribution and its streamed tables). Every value a stage still holds
// when the pipeline stops early is given to the release function the
// caller named, so records are never leaked.
package pipe

import "context"

// Stream is the output of a producer running ahead: Next takes the values
// in the order they were emitted.
type Stream[T any] struct {
	ch      chan T
	stop    chan struct{}
	done    chan struct{}
	err     error
	release func(T)
}

// Ahead runs produce on its own goroutine, at most n emitted values
// waiting for the consumer. emit returns false once the consumer stopped
// the stream (Stop): produce then releases what it holds and returns.
// release frees a value nobody will take (nil: nothing to free).
func Ahead[T any](n int, release func(T), produce func(emit func(T) bool) error) *Stream[T] {
	s := &Stream[T]{ch: make(chan T, n), stop: make(chan struct{}), done: make(chan struct{}), release: release}
	go func() {
		defer close(s.done)
		defer close(s.ch)
		s.err = produce(func(v T) bool {
			select {
			case s.ch <- v:
				return true
			case <-s.stop:
				return false
			}
		})
	}()
	return s
}

// Next is the next value; false when the producer is done (Err says how).
func (s *Stream[T]) Next() (T, bool) {
	v, ok := <-s.ch
	return v, ok
}

// Err is the producer's error; valid once Next returned false or after
// Stop.
func (s *Stream[T]) Err() error {
	<-s.done
	return s.err
}

// Stop tells the producer to stop, releases every value still queued and
// waits for the producer to return. Safe after the stream ended; call it
// once.
func (s *Stream[T]) Stop() {
	close(s.stop)
	for v := range s.ch {
		if s.release != nil {
			s.release(v)
		}
	}
	<-s.done
}

// Map runs fn over the values of in on up to workers goroutines at once
// and hands the results on in the order of in, at most n of them waiting
// for the consumer: a stage that is the same work on every value (ingest's
// per-row validation) runs on every core and its output is what one
// goroutine would give. fn owns the value it is given; release frees a
// result nobody will take (nil: nothing to free). Stopping the result
// stops in.
func Map[T, U any](in *Stream[T], workers, n int, release func(U), fn func(T) U) *Stream[U] {
	take := func(f chan U) {
		if release != nil {
			release(<-f)
		}
	}
	futures := Ahead(n, take, func(emit func(chan U) bool) error {
		busy := make(chan struct{}, max(workers, 1))
		for v, ok := in.Next(); ok; v, ok = in.Next() {
			f := make(chan U, 1)
			busy <- struct{}{}
			go func() {
				f <- fn(v)
				<-busy
			}()
			if !emit(f) {
				take(f)
				in.Stop()
				return nil
			}
		}
		return in.Err()
	})
	return Ahead(1, release, func(emit func(U) bool) error {
		for f, ok := futures.Next(); ok; f, ok = futures.Next() {
			if u := <-f; !emit(u) {
				if release != nil {
					release(u)
				}
				futures.Stop()
				return nil
			}
		}
		return futures.Err()
	})
}

// Sink is a consumer running behind its producer.
type Sink[T any] struct {
	ch      chan T
	failed  chan struct{} // closed at consume's first error
	done    chan error
	release func(T)
}

// Behind runs consume on its own goroutine over every value Put, in
// order, at most n waiting. After consume's first error it consumes
// nothing more; each value is released once consumed or dropped.
func Behind[T any](n int, release func(T), consume func(T) error) *Sink[T] {
	s := &Sink[T]{ch: make(chan T, n), failed: make(chan struct{}), done: make(chan error, 1), release: release}
	go func() {
		var err error
		for v := range s.ch {
			if err == nil {
				if err = consume(v); err != nil {
					close(s.failed)
				}
			}
			if release != nil {
				release(v)
			}
		}
		s.done <- err
	}()
	return s
}

// Put queues v; false when consuming has failed (Close says why) and v
// was released instead.
func (s *Sink[T]) Put(v T) bool {
	select {
	case <-s.failed:
		if s.release != nil {
			s.release(v)
		}
		return false
	case s.ch <- v:
		return true
	}
}

// Close waits until every queued value is consumed and returns consume's
// first error. Call it once, after the last Put.
func (s *Sink[T]) Close() error {
	close(s.ch)
	return <-s.done
}

// Job is one piece of work running beside the caller.
type Job[T any] struct {
	cancel context.CancelFunc
	done   chan struct{}
	v      T
	err    error
	taken  bool
}

// Go runs fn on its own goroutine with a context that Discard cancels.
func Go[T any](ctx context.Context, fn func(context.Context) (T, error)) *Job[T] {
	ctx, cancel := context.WithCancel(ctx)
	j := &Job[T]{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		j.v, j.err = fn(ctx)
	}()
	return j
}

// Wait blocks until the work is done and hands over its result, which
// the caller then owns. Call it once.
func (j *Job[T]) Wait() (T, error) {
	<-j.done
	j.cancel()
	j.taken = true
	return j.v, j.err
}

// Discard cancels the work if it still runs, waits for it, and releases
// its result unless Wait handed it over. Safe on nil and after Wait.
func (j *Job[T]) Discard(release func(T)) {
	if j == nil {
		return
	}
	j.cancel()
	<-j.done
	if !j.taken && release != nil {
		release(j.v)
	}
	j.taken = true
}
