package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/sqlstore"
)

// Originals are kept content-addressed beside the database, in append-only
// pack files <db>.files/pack-NNNNNN.dat; the table originals says where each
// sha256's bytes are. One file per original cost an inode (stat, mkdir,
// create, write, rename) per document, a third of a write's time.
//
// Stores written before packs keep each original in <db>.files/ab/abcd…;
// those are still read.

// packLimit is the size past which the writer starts a new pack, so that no
// single file grows without bound.
const packLimit = 1 << 30

// packFile is the pack the writer appends to; it is used only by the
// holder of the SQLite write lock (inside a write transaction), so appends
// from this and other processes never interleave.
type packFile struct {
	f  *os.File
	no int
}

// originalPath is where a pre-pack store kept the bytes with this sha256:
// <db>.files/ab/abcd….
func (s *Store) originalPath(sum string) (string, error) {
	if len(sum) != 64 {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	return filepath.Join(s.filesDir, sum[:2], sum), nil
}

func (s *Store) packPath(no int) string {
	return filepath.Join(s.filesDir, fmt.Sprintf("pack-%06d.dat", no))
}

// KeepOriginal appends the bytes to the current pack unless the store has
// them already, and records where they are, in tx: the row commits with the
// document or not at all. A crash (or a rolled-back transaction) after the
// append leaves only unreferenced bytes at the pack's end, which no row
// points to and the next append writes after. Like the database (WAL,
// synchronous=NORMAL) the pack is not fsynced per document: a killed
// process loses nothing, a power cut may lose the last documents, which the
// next run reads again.
func (s *Store) KeepOriginal(ctx context.Context, tx *sqlx.Tx, sum string, data []byte) error {
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM originals WHERE sha256 = ?`, sum); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	no, offset, err := s.appendPack(data)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO originals (sha256, pack, offset, length) VALUES (?, ?, ?, ?)`,
		sum, no, offset, len(data))
	return err
}

// appendPack writes data at the end of the current pack and says where.
// The offset is the file's size just before the write, not a remembered
// one, so bytes left by a crashed or another process are stepped over.
func (s *Store) appendPack(data []byte) (no int, offset int64, err error) {
	if s.pack.f == nil {
		if err := os.MkdirAll(s.filesDir, 0o755); err != nil {
			return 0, 0, err
		}
		no, err := s.lastPack()
		if err != nil {
			return 0, 0, err
		}
		if err := s.openPack(no); err != nil {
			return 0, 0, err
		}
	}
	st, err := s.pack.f.Stat()
	if err != nil {
		return 0, 0, err
	}
	if st.Size() >= packLimit {
		if err := s.openPack(s.pack.no + 1); err != nil {
			return 0, 0, err
		}
		if st, err = s.pack.f.Stat(); err != nil {
			return 0, 0, err
		}
	}
	if _, err := s.pack.f.Write(data); err != nil {
		return 0, 0, err
	}
	return s.pack.no, st.Size(), nil
}

// openPack makes pack no the one appended to.
func (s *Store) openPack(no int) error {
	f, err := os.OpenFile(s.packPath(no), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	s.closePack()
	s.pack = packFile{f: f, no: no}
	return nil
}

func (s *Store) closePack() {
	if s.pack.f != nil {
		s.pack.f.Close()
		s.pack.f = nil
	}
}

// lastPack is the highest pack number in the directory (1 when none).
func (s *Store) lastPack() (int, error) {
	names, err := filepath.Glob(filepath.Join(s.filesDir, "pack-*.dat"))
	if err != nil {
		return 0, err
	}
	nos := []int{1}
	for _, name := range names {
		digits := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "pack-"), ".dat")
		if no, err := strconv.Atoi(digits); err == nil {
			nos = append(nos, no)
		}
	}
	sort.Ints(nos)
	return nos[len(nos)-1], nil
}

// packPlace is where in the packs an original's bytes are.
type packPlace struct {
	Pack   int   `db:"pack"`
	Offset int64 `db:"offset"`
	Length int64 `db:"length"`
}

// DropOriginal forgets the bytes with this sum in tx and overwrites them
// with zeros in their pack: a pack is never shortened, so the space stays
// taken, but the bytes are gone. A pre-pack store's file is removed.
func (s *Store) DropOriginal(ctx context.Context, tx *sqlx.Tx, sum string) (bool, error) {
	var at packPlace
	err := tx.GetContext(ctx, &at, `SELECT pack, offset, length FROM originals WHERE sha256 = ?`, sum)
	if errors.Is(err, sql.ErrNoRows) {
		return s.removeLoose(sum)
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM originals WHERE sha256 = ?`, sum); err != nil {
		return false, err
	}
	return true, s.zeroPack(at)
}

// removeLoose removes a pre-pack store's file of an original, if any.
func (s *Store) removeLoose(sum string) (bool, error) {
	p, err := s.originalPath(sum)
	if err != nil {
		return false, err
	}
	err = os.Remove(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// zeroPack overwrites the bytes at a place with zeros. It runs in the
// write transaction that drops their row, so no append moves meanwhile.
func (s *Store) zeroPack(at packPlace) error {
	f, err := os.OpenFile(s.packPath(at.Pack), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	w := io.NewOffsetWriter(f, at.Offset)
	if _, err := io.CopyN(w, zeros{}, at.Length); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Original returns the bytes of a stored document, checked against its
// sha256.
func (s *Store) Original(ctx context.Context, sum string) ([]byte, error) {
	p, err := s.originalPath(sum)
	if err != nil {
		return nil, err
	}
	var at packPlace
	err = s.db.GetContext(ctx, &at, `SELECT pack, offset, length FROM originals WHERE sha256 = ?`, sum)
	var data []byte
	switch {
	case errors.Is(err, sql.ErrNoRows):
		data, err = os.ReadFile(p) // a store written before packs
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("original of %s is not in the store", sum)
		}
	case err == nil:
		data, err = s.readPack(at.Pack, at.Offset, at.Length)
	}
	if err != nil {
		return nil, fmt.Errorf("original of %s: %w", sum, err)
	}
	if err := sqlstore.CheckSum(sum, data); err != nil {
		return nil, err
	}
	return data, nil
}

func (s *Store) readPack(no int, offset, length int64) ([]byte, error) {
	f, err := os.Open(s.packPath(no))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, length)
	if _, err := f.ReadAt(data, offset); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("pack %d is shorter than its index says", no)
		}
		return nil, err
	}
	return data, nil
}
