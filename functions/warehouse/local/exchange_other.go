//go:build unix && !linux

package local

// exchange is Linux-only (renameat2); elsewhere publish renames the old
// partition aside first.
func exchange(a, b string) error { return errNoExchange }
