package local

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps two existing paths with renameat2(RENAME_EXCHANGE),
// so readers of b never see it missing. It returns errNoExchange when the
// kernel or filesystem does not support it.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	if err != nil {
		return fmt.Errorf("exchanging %s and %s: %w", a, b, err)
	}
	return nil
}
