//go:build !unix

package validate

// Without mmap the arrays stay on the Go heap.
func mapMemory(int) ([]byte, bool) { return nil, false }

func unmapMemory([]byte) {}
