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
// only backed where pdfium writes and never moves. It reports its size and
// refusals to use.
type mmapMemory struct {
	buf []byte
	use *wasmUse
}

func (m *mmapMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		m.use.refused.Store(true)
		return nil
	}
	m.use.size.Store(size)
	return m.buf[:size]
}

func (m *mmapMemory) Free() {
	if m.buf != nil {
		_ = syscall.Munmap(m.buf)
		m.buf = nil
	}
}

// wasmMemoryAllocator returns the allocator for pdfium's instance, or nil to
// keep wazero's default. The mapping is limit bytes, the instance's
// maximum: wazero's own limit is left at the 4 GiB of wasm32, so a growth
// past limit reaches Reallocate, which tells use (wazero refuses a growth
// past its own limit silently, and pdfium's trap that follows would read
// as a malformed file).
func wasmMemoryAllocator(use *wasmUse, limit uint64) experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(func(_, max uint64) experimental.LinearMemory {
		buf, err := syscall.Mmap(-1, 0, int(min(max, limit)), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
		if err != nil {
			return &mmapMemory{use: use} // every Reallocate fails: the instance cannot start
		}
		return &mmapMemory{buf: buf, use: use}
	})
}
