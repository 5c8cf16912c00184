//go:build !unix

package pdf

import "github.com/tetratelabs/wazero/experimental"

// wasmMemoryAllocator keeps wazero's default memory where mmap is not
// available; use then learns nothing.
func wasmMemoryAllocator(*wasmUse, uint64) experimental.MemoryAllocator { return nil }
