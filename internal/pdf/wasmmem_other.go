//go:build !unix

package pdf

import "github.com/tetratelabs/wazero/experimental"

// wasmMemoryAllocator keeps wazero's default memory where mmap is not
// available.
func wasmMemoryAllocator() experimental.MemoryAllocator { return nil }
