//go:build unix

package ingest

import "syscall"

// openNoFollow refuses a symbolic link as the last part of the name, and
// opens a named pipe or a device without waiting for its other end (it is
// then refused, being no regular file).
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
