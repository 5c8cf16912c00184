package run

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLongInput: extraction time against input size, up to the 16 MB
// upload limit, for the shapes that were quadratic or worse — one line of
// amounts with no 。 (a flattened Word dump; 1 MB took 196 s), thousands
// of year headings, sentences of dates, and a real report repeated. ns/B
// should stay flat as the size grows 1,000-fold (linear time); run with
// -benchtime 1x:
//
//	go test -tags sqlite_fts5 -run '^$' -bench LongInput -benchtime 1x ./pipeline/run
func BenchmarkLongInput(b *testing.B) {
	real, err := os.ReadFile(filepath.Join(corpusDir, "xj-redcross-2022.txt"))
	if err != nil {
		b.Fatal(err)
	}
	shapes := []struct {
		name string
		unit func(i int) string
	}{
		{"amounts-one-line", func(i int) string { return fmt.Sprintf("项目资金%d.%02d万元，执行率%d%%，", i%9999+1, i%100, i%100+1) }},
		{"headings", func(i int) string { return fmt.Sprintf("一、%d年度项目基本情况\n", 2000+i%31) }},
		{"dates", func(i int) string { return fmt.Sprintf("%d年%d月%d日，", 2000+i%31, i%12+1, i%28+1) }},
		{"real-report", func(int) string { return string(real) }},
	}
	r := &Runner{}
	r.File(context.Background(), "warm", real)
	for _, sh := range shapes {
		for _, size := range []int{16 << 10, 256 << 10, 1 << 20, 4 << 20, MaxTextBytes - 1<<10} {
			data := longInput(size, sh.unit)
			b.Run(fmt.Sprintf("%s/%dKB", sh.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for i := 0; i < b.N; i++ {
					if _, err := r.File(context.Background(), "long.txt", data); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(data)), "ns/B")
			})
		}
	}
}

// longInput is a title line and then unit(0), unit(1)… cut to size bytes.
func longInput(size int, unit func(i int) string) []byte {
	var sb strings.Builder
	sb.WriteString("某县教育局2023年度项目支出绩效自评报告\n")
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(unit(i))
	}
	return []byte(strings.ToValidUTF8(sb.String()[:size], ""))
}
