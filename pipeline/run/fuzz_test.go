package run

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFile feeds the whole text pipeline (decode, normalise, extract,
// check) arbitrary bytes. File recovers a panic into an "internal error";
// the fuzzer fails on one, so no stage may panic on outside input.
func FuzzFile(f *testing.F) {
	for _, name := range []string{"xj-redcross-2022.txt", "dev-001.txt", "dev-011.txt"} {
		data, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4000)])
	}
	f.Add([]byte("项目支出绩效自评表\n三级指标\n≥\n10\n10\n一、\n（一）\n1."))
	r := &Runner{}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := r.File(context.Background(), "fuzz.txt", data)
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}
