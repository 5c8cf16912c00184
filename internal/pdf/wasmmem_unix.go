//go:build unix

package pdf

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// mmapMemory backs pdfium's WebAssembly memory with one anonymous mapping of
// its maximum size. wazero's default grows memory by allocating a larger Go
// slice and copying, so a file that drives pdfium to its limit briefly holds
// several copies (1.9 GB RSS for a 512 MiB limit, measured); a mapping is
// only backed where pdfium writes and never moves.
type mmapMemory struct{ buf []byte }

func (m *mmapMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

func (m *mmapMemory) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}

// wasmMemoryAllocator returns the allocator for pdfium's instance, or nil to
// keep wazero's default.
func wasmMemoryAllocator() experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(func(_, max uint64) experimental.LinearMemory {
		buf, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
		if err != nil {
			return &mmapMemory{} // every Reallocate fails: the instance cannot start
		}
		return &mmapMemory{buf: buf}
	})
}
