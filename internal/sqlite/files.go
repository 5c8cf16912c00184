package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// originalPath is where the bytes with this sha256 live: <db>.files/ab/abcd….
func (s *Store) originalPath(sum string) (string, error) {
	if len(sum) != 64 {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	return filepath.Join(s.filesDir, sum[:2], sum), nil
}

// keepOriginal writes the bytes under their sha256 unless already there.
// It runs before the document's transaction: a crash in between leaves an
// unreferenced file that the next run finds in place, never a row without
// its bytes. Like the database (WAL, synchronous=NORMAL) it does not fsync
// each document: a killed process loses nothing, a power cut may lose the
// last documents, which the next run reads again.
func (s *Store) keepOriginal(sum string, data []byte) error {
	got := sha256.Sum256(data)
	if hex.EncodeToString(got[:]) != sum {
		return fmt.Errorf("original bytes do not match sha256 %s", sum)
	}
	p, err := s.originalPath(sum)
	if err != nil {
		return err
	}
	if st, err := os.Stat(p); err == nil && st.Size() == int64(len(data)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Original returns the bytes of a stored document.
func (s *Store) Original(ctx context.Context, sum string) ([]byte, error) {
	p, err := s.originalPath(sum)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("original of %s is not in the store", sum)
	}
	return data, err
}
