package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/pipeline"
)

// Originals go to one pack file, one index row each (saving a document
// again appends nothing), and read back after the store is reopened.
func TestOriginalsAreAppendedToAPackAndReadBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _, one := save(t, st, "dev-001.txt")
	_, _, two := save(t, st, "dev-002.txt")
	save(t, st, "dev-002.txt")
	if n := count(t, st, "SELECT count(*) FROM originals"); n != 2 {
		t.Errorf("%d originals rows for 2 documents", n)
	}
	st.Close()
	entries, _ := os.ReadDir(path + ".files")
	if len(entries) != 1 || entries[0].Name() != "pack-000001.dat" {
		t.Fatalf("files beside the store: %v, want one pack", entries)
	}
	if info, _ := entries[0].Info(); info.Size() != int64(len(one)+len(two)) {
		t.Errorf("pack holds %d bytes, want %d (each original once)", info.Size(), len(one)+len(two))
	}
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, data := range [][]byte{one, two} {
		if got, err := st.Original(ctx, sumOf(data)); err != nil || string(got) != string(data) {
			t.Errorf("original not read back after reopening: %v", err)
		}
	}
}

// A process killed between appending an original and committing its
// document leaves bytes no row points to at the end of the pack: the
// document is not stored, and later originals are written after them and
// read back whole.
func TestBytesOfAnUncommittedDocumentAreSteppedOver(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	_, _, first := save(t, st, "dev-001.txt")
	orphan := []byte("bytes of a document whose transaction never committed")
	killed := errors.New("killed")
	err := st.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := st.KeepOriginal(ctx, tx, sumOf(orphan), orphan); err != nil {
			return err
		}
		return killed
	})
	if !errors.Is(err, killed) {
		t.Fatalf("transaction ended with %v", err)
	}
	if _, err := st.Original(ctx, sumOf(orphan)); err == nil {
		t.Error("original of an uncommitted document is readable")
	}
	_, _, later := save(t, st, "dev-002.txt")
	for _, data := range [][]byte{first, later} {
		if got, err := st.Original(ctx, sumOf(data)); err != nil || string(got) != string(data) {
			t.Errorf("original not read back after orphan bytes: %v", err)
		}
	}
}

// Stores written before packs kept one file per original; those are still
// read, and bytes that no longer match their sha256 are an error.
func TestOriginalsOfPrePackStoresAreRead(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	data := []byte("一份旧版存储中的原件")
	p, err := st.originalPath(sumOf(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Original(ctx, sumOf(data)); err != nil || string(got) != string(data) {
		t.Errorf("pre-pack original not read: %q, %v", got, err)
	}
	if err := os.WriteFile(p, []byte("changed on disk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Original(ctx, sumOf(data)); err == nil {
		t.Error("bytes not matching their sha256 were returned")
	}
}

// The bytes of a failure dropped after their time are gone from the pack
// file, not only from the index; the originals around them read back.
func TestDroppedFailureBytesAreOverwritten(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, _, before := save(t, st, "dev-001.txt")
	secret := []byte("\x00\x01 a failed upload whose bytes must not outlive their time \xff")
	doc := pipeline.Document{SHA256: sumOf(secret), Name: "junk.bin", Size: int64(len(secret)), IngestedAt: time.Now().Add(-time.Hour)}
	if err := st.SaveFailure(ctx, doc, secret, "not a text file"); err != nil {
		t.Fatal(err)
	}
	_, _, after := save(t, st, "dev-002.txt")
	if n, err := st.DropFailedOriginals(ctx, time.Now()); err != nil || n != 1 {
		t.Fatalf("DropFailedOriginals: %d, %v", n, err)
	}
	pack, err := os.ReadFile(filepath.Join(path+".files", "pack-000001.dat"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pack, secret[2:]) {
		t.Error("the dropped bytes are still in the pack")
	}
	for _, data := range [][]byte{before, after} {
		if got, err := st.Original(ctx, sumOf(data)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("a neighbour's original damaged: %v", err)
		}
	}
}

func sumOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
