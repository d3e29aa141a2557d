package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerq/pqi/functions/warehouse"
)

// ErrBusy is wrapped by the error of a Begin that gave up waiting for
// another run publishing the same as-of date.
var ErrBusy = errors.New("another run is publishing the same as-of date")

// DefaultLockWait is how long Begin waits for another run's publish of
// the same as-of date when Options.LockWait is 0.
const DefaultLockWait = 10 * time.Minute

const locksDir = "_locks"

// lockAsOf takes the one-writer lock of an as-of partition: one run at a
// time stages and publishes a warehouse's as-of date, so two runs never
// interleave their tables. It waits for the holder (a run that dies
// loses the lock with its process) up to Options.LockWait. The lock file
// names its holder, for the message of whoever waits.
func (w *Warehouse) lockAsOf(ctx context.Context, part, runID string) (*dirLock, error) {
	dir := filepath.Join(w.root, locksDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("locking %s: %w", part, err)
	}
	path := filepath.Join(dir, part+".lock")
	wait := w.opts.LockWait
	if wait == 0 {
		wait = DefaultLockWait
	}
	deadline := time.Now().Add(wait)
	for tries := 0; ; tries++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", part, err)
		}
		l, busy, err := flockFile(f)
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", part, err)
		}
		if !busy {
			holder := fmt.Sprintf("run %s (process %d, since %s)", runID, os.Getpid(), time.Now().UTC().Format(time.RFC3339))
			if err := f.Truncate(0); err == nil {
				f.WriteAt([]byte(holder), 0) // Best effort: the text only helps a waiter's message.
			}
			return l, nil
		}
		holder := func() string {
			b, _ := os.ReadFile(path) // Best effort: an unreadable holder is described as unknown.
			if h := strings.TrimSpace(string(b)); h != "" {
				return h
			}
			return "another run"
		}
		if waiting := warehouse.LockWaitingFrom(ctx); waiting != nil && tries == 0 && wait > 0 {
			waiting(holder(), wait)
		}
		if wait < 0 || !time.Now().Before(deadline) {
			holder := holder()
			return nil, fmt.Errorf("%w: %s holds %s of %s; fix: let it finish (or stop it), then run again",
				ErrBusy, holder, strings.TrimPrefix(part, partKey), w.root)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
