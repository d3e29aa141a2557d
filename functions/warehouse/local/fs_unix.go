//go:build unix

package local

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// syncDir fsyncs a directory so that entries created, renamed or removed in
// it survive a power loss.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("syncing directory %s: %w", path, err)
	}
	return nil
}

// fileID identifies a directory across renames: rename keeps device and inode.
// The commit journal records the staged partition's identity so recovery can
// tell new data from old whatever side of a swap it sits on.
type fileID struct {
	Dev uint64 `json:"dev"`
	Ino uint64 `json:"ino"`
}

// idOf returns the identity of path; ok is false when it does not exist.
func idOf(path string) (id fileID, ok bool, err error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fileID{}, false, nil
	}
	if err != nil {
		return fileID{}, false, err
	}
	st, isStat := fi.Sys().(*syscall.Stat_t)
	if !isStat {
		return fileID{}, false, fmt.Errorf("no inode for %s", path)
	}
	return fileID{Dev: st.Dev, Ino: st.Ino}, true, nil
}

// dirLock is an exclusive flock on a staging directory, held by a live Tx so
// recovery in another Open does not delete its work. The kernel drops it
// when the process dies.
type dirLock struct{ f *os.File }

// tryLock locks dir; busy is true when someone else holds the lock.
func tryLock(dir string) (l *dirLock, busy bool, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, false, err
	}
	return flockFile(f)
}

// flockFile locks the open file f, which the lock then owns (f is closed
// when busy or on error).
func flockFile(f *os.File) (l *dirLock, busy bool, err error) {
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return &dirLock{f: f}, false, nil
}

func (l *dirLock) unlock() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the descriptor releases the flock
		l.f = nil
	}
}
