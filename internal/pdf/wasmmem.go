package pdf

import "sync/atomic"

// wasmUse is what the engine learns from its instance's memory allocator:
// the memory's current size, and whether pdfium asked to grow it past the
// limit (then the trap that follows is a file too large, not a bug).
type wasmUse struct {
	size    atomic.Uint64
	refused atomic.Bool
}
