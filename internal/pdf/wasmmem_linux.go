package pdf

import "syscall"

const mapNoReserve = syscall.MAP_NORESERVE
