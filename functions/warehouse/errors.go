package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is wrapped by errors about a table partition that does not
// exist.
var ErrNotFound = errors.New("not found")

// ErrSpec is wrapped by errors about a warehouse spec that is not a
// directory or a bq:// address: the caller's mistake, not a failed run.
var ErrSpec = errors.New("bad warehouse spec")

// ErrNoWarehouse is wrapped by the error of opening, to read it, a spec
// that names no warehouse: a folder that does not exist or that pqi ingest
// never wrote to, a dataset that does not exist. Like ErrSpec, the
// caller's mistake.
var ErrNoWarehouse = errors.New("no warehouse there")

// noWarehouse is an error that says itself and is ErrNoWarehouse.
type noWarehouse string

func (e noWarehouse) Error() string        { return string(e) }
func (e noWarehouse) Is(target error) bool { return target == ErrNoWarehouse }

// NoWarehousef is an error saying what it is told that is ErrNoWarehouse.
func NoWarehousef(format string, a ...any) error { return noWarehouse(fmt.Sprintf(format, a...)) }

type lockWaitKey struct{}

// LockWaiting is what a driver's Begin calls, once, when it finds another
// run publishing the same as-of date and waits for it: the holder's
// description and how long it will wait at most.
type LockWaiting func(holder string, wait time.Duration)

// withLockWait returns a context whose Begin calls waiting (Publish).
func withLockWait(ctx context.Context, waiting LockWaiting) context.Context {
	return context.WithValue(ctx, lockWaitKey{}, waiting)
}

// LockWaitingFrom is the LockWaiting Publish put in ctx; nil when none
// (a Begin outside Publish).
func LockWaitingFrom(ctx context.Context) LockWaiting {
	w, _ := ctx.Value(lockWaitKey{}).(LockWaiting)
	return w
}
