package postgres

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// claims are this process's session advisory locks on the documents its
// workers are reading, one per sha256, all held on one connection: when
// the process dies the connection closes and PostgreSQL lets every claim
// go at once, so another worker takes those documents. A process holds at
// most a batch's queue of claims, which one connection carries whatever
// their number.
type claims struct {
	db   *sqlx.DB
	mu   sync.Mutex
	conn *sqlx.Conn
	held map[string]bool // sha256s claimed here, which PostgreSQL would grant this session again
}

func newClaims(db *sqlx.DB) *claims { return &claims{db: db, held: map[string]bool{}} }

// claimPoll is how often a worker waiting for another's claim asks again.
const claimPoll = 50 * time.Millisecond

// Claim claims the document with this sha256 for the caller (see
// ingest.Claimer): ok is false when another worker holds it, or with wait
// once it has been let go.
func (s *Store) Claim(ctx context.Context, sum string, wait bool) (release func(), ok bool, err error) {
	for {
		ok, err := s.claims.try(ctx, sum)
		if err != nil {
			return nil, false, fmt.Errorf("认领文件 %s：%w", sum, err)
		}
		if ok {
			return func() { s.claims.release(sum) }, true, nil
		}
		if !wait {
			return nil, false, nil
		}
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case <-time.After(claimPoll):
		}
	}
}

func (c *claims) try(ctx context.Context, sum string) (bool, error) {
	key, err := claimKey(sum)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held[sum] {
		return false, nil // another worker of this process has it
	}
	if c.conn == nil {
		if c.conn, err = c.db.Connx(context.WithoutCancel(ctx)); err != nil {
			return false, err
		}
	}
	var ok bool
	if err := c.conn.GetContext(ctx, &ok, `SELECT pg_try_advisory_lock($1)`, key); err != nil {
		c.dropLocked() // a broken connection has lost its claims with it
		return false, err
	}
	if ok {
		c.held[sum] = true
	}
	return ok, nil
}

func (c *claims) release(sum string) {
	key, _ := claimKey(sum)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held[sum] {
		return
	}
	delete(c.held, sum)
	if _, err := c.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key); err != nil {
		c.dropLocked()
	}
}

// dropLocked closes the claims' connection, which lets all of them go.
func (c *claims) dropLocked() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	clear(c.held)
}

func (c *claims) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
	return nil
}

// claimKey is the advisory lock key of a document: the first 64 bits of
// its sha256. Two documents sharing them would only take turns.
func claimKey(sum string) (int64, error) {
	b, err := hex.DecodeString(sum)
	if err != nil || len(b) != 32 {
		return 0, fmt.Errorf("not a sha256: %q", sum)
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// nameKeys are the advisory lock keys of organisation names, sorted and
// without repeats.
func nameKeys(names []string) []int32 {
	keys := make([]int32, 0, len(names))
	for _, n := range names {
		h := fnv.New32a()
		h.Write([]byte(n))
		keys = append(keys, int32(h.Sum32()))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
