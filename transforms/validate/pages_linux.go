package validate

import "syscall"

// hugePages asks the kernel to back mem with huge pages where it can
// (transparent huge pages in madvise mode): a probe of a key set of
// millions of keys lands on a random page, and with 4 KiB pages nearly
// every probe also misses the TLB.
func hugePages(mem []byte) { _ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) }

// dropPages gives mem's pages back to the system; they read as zeros if
// touched again.
func dropPages(mem []byte) { _ = syscall.Madvise(mem, syscall.MADV_DONTNEED) }
