package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// CPU is the processor time the server has used so far: the postmaster's,
// its live processes' and that of the backends it has reaped (each client
// connection is a process of its own). Benchmarks take the difference.
func (s *Server) CPU() (time.Duration, error) {
	pidFile, err := os.ReadFile(filepath.Join(s.dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	master, err := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid: %w", err)
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range stats {
		fields := procStat(p)
		if len(fields) < 17 {
			continue
		}
		pid, _ := strconv.Atoi(fields[0])
		ppid, _ := strconv.Atoi(fields[3])
		switch {
		case pid == master: // its own time and its reaped children's
			ticks += sum(fields[13:17])
		case ppid == master:
			ticks += sum(fields[13:15])
		}
	}
	return time.Duration(ticks) * clockTick, nil
}

// procStat is the fields of a /proc/<pid>/stat, the command name (which
// may hold spaces) taken out.
func procStat(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return nil
	}
	return append([]string{strings.TrimSpace(s[:open]), "comm"}, strings.Fields(s[end+1:])...)
}

func sum(fields []string) int64 {
	var n int64
	for _, f := range fields {
		v, _ := strconv.ParseInt(f, 10, 64)
		n += v
	}
	return n
}
