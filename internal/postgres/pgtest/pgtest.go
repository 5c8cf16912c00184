// Package pgtest runs a throwaway PostgreSQL server for tests and
// benchmarks: a cluster made with initdb in a temporary folder, listening
// only on a unix socket in that folder (no TCP port, so nothing else on
// the machine is touched or can collide), stopped and deleted by Main at
// the end of the test binary. Each test gets a database of its own. Run
// as root, the server runs as the postgres user Debian's package creates
// (PostgreSQL refuses to run as root). The binaries are Debian's, in
// /usr/lib/postgresql/<version>/bin; `make deps` installs them.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/jmoiron/sqlx"
)

// Server is one running throwaway cluster.
type Server struct {
	dir   string // the cluster's folder: data/ and the socket
	bin   string
	owner *user.User // who runs the server; nil: this process's user
	role  string     // the superuser role clients connect as
}

var (
	once     sync.Once
	shared   *Server
	startErr error
	dbs      atomic.Int64
)

// Main runs the tests of a package and stops the server if one started:
// func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// URL starts the package's server on first use and returns the URL of a
// new empty database on it; the test fails when no server can run.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { shared, startErr = Start() })
	if startErr != nil {
		t.Fatalf("PostgreSQL for the tests: %v", startErr)
	}
	url, err := shared.NewDatabase(fmt.Sprintf("t%d", dbs.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// Start makes and starts a cluster. Settings (name=value) are passed to
// the server; without any, it runs with fsync off, as nothing in a test
// cluster outlives the machine.
func Start(settings ...string) (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		if s.owner, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user of Debian's postgresql package: %w", err)
		}
		s.role = "postgres"
	} else {
		me, err := user.Current()
		if err != nil {
			return nil, err
		}
		s.role = me.Username
	}
	if s.dir, err = os.MkdirTemp("", "jixiao-pg-"); err != nil {
		return nil, err
	}
	if err := s.start(settings); err != nil {
		os.RemoveAll(s.dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) start(settings []string) error {
	if err := s.chown(s.dir); err != nil {
		return err
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", s.role, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if len(settings) == 0 {
		settings = []string{"fsync=off", "synchronous_commit=off", "full_page_writes=off"}
	}
	opts := []string{"-k " + s.dir, "-c listen_addresses=''", "-c max_connections=200"}
	for _, set := range settings {
		opts = append(opts, "-c "+set)
	}
	out, err := s.run("pg_ctl", "start", "-w", "-D", data, "-l", filepath.Join(s.dir, "server.log"), "-o", strings.Join(opts, " "))
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

// Stop stops the server at once and deletes the cluster.
func (s *Server) Stop() {
	s.run("pg_ctl", "stop", "-m", "immediate", "-D", filepath.Join(s.dir, "data"))
	os.RemoveAll(s.dir)
}

// URL is the address of database name on the server.
func (s *Server) URL(name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", s.role, name, s.dir)
}

// NewDatabase creates database name and returns its URL.
func (s *Server) NewDatabase(name string) (string, error) {
	db, err := sqlx.Open("pgx", s.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `CREATE DATABASE `+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return s.URL(name), nil
}

// run runs one of the server's programs as the server's owner.
func (s *Server) run(name string, args ...string) ([]byte, error) {
	prog := filepath.Join(s.bin, name)
	cmd := exec.Command(prog, args...)
	if s.owner != nil {
		cmd = exec.Command("runuser", append([]string{"-u", s.owner.Username, "--", prog}, args...)...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

func (s *Server) chown(dir string) error {
	if s.owner == nil {
		return nil
	}
	uid, _ := strconv.Atoi(s.owner.Uid)
	gid, _ := strconv.Atoi(s.owner.Gid)
	return os.Chown(dir, uid, gid)
}

// binDir is the newest PostgreSQL's binaries on this machine.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL server in /usr/lib/postgresql/*/bin: run make deps (it installs Debian's postgresql)")
}

func version(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}
