//go:build unix

package ingest

import "syscall"

// openNonBlock opens a named pipe or a device without waiting for its
// other end (it is then refused, being no regular file); openNoFollow also
// refuses a symbolic link as the last part of the name.
const (
	openNonBlock = syscall.O_NONBLOCK
	openNoFollow = syscall.O_NOFOLLOW | openNonBlock
)
