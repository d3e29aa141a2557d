//go:build unix

package validate

import "syscall"

// mapMemory maps size zeroed bytes of anonymous memory.
func mapMemory(size int) ([]byte, bool) {
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	hugePages(mem)
	return mem, true
}

func unmapMemory(mem []byte) { _ = syscall.Munmap(mem) }
