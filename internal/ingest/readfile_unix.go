//go:build unix

package ingest

import "syscall"

// openNoFollow opens a name only when it is no symbolic link, and a named
// pipe or device without waiting for its other end (it is then refused).
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
