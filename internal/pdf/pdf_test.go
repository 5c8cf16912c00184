package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

const fixtures = "../../testdata/pdf"

// shared is one Reader for the package's tests, as a batch worker would
// use it: pdfium starts once and serves every file.
var shared *Reader

func TestMain(m *testing.M) {
	shared = NewReader(Options{})
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// accuracy is 1 - (edit distance / length of want), over runes.
func accuracy(got, want string) float64 {
	a, b := []rune(want), []rune(got)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(b)])/float64(len(a))
}

var figure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?%?`)

// checkText asserts ≥ 99.5 % character accuracy against want (whitespace
// removed) and every figure intact and in order.
func checkText(t *testing.T, pages []string, want string) {
	t.Helper()
	got := stripSpace(strings.Join(pages, ""))
	want = stripSpace(want)
	if acc := accuracy(got, want); acc < 0.995 {
		t.Errorf("character accuracy %.4f < 0.995", acc)
	}
	gotFigs, wantFigs := figure.FindAllString(got, -1), figure.FindAllString(want, -1)
	if strings.Join(gotFigs, " ") != strings.Join(wantFigs, " ") {
		t.Errorf("figures differ:\n got %v\nwant %v", gotFigs, wantFigs)
	}
	// A radical left over means a glyph shared by two characters was read
	// through ToUnicode (⺠ for 民) instead of its ActualText; the clean
	// text has none.
	if i := strings.IndexFunc(got, func(r rune) bool { return r >= 0x2E80 && r <= 0x2FDF }); i >= 0 {
		t.Errorf("CJK radical %q in the text: ActualText not applied", []rune(got[i:])[0])
	}
}

// The real report rendered by each producer: the routed engine, and each
// engine forced, must give its text.
func TestCorpusText(t *testing.T) {
	clean := string(readFixture(t, "seed-clean.txt"))
	cases := []struct {
		file   string
		engine string // the engine routing must pick
		fastOK bool   // the fast engine, forced, reads it exactly too
	}{
		{"seed-libreoffice.pdf", EngineFast, true},
		{"seed-libreoffice-noto.pdf", EngineFast, true},
		{"seed-chromium-sungti.pdf", EngineFast, true}, // Identity-H, one Tj per glyph, y-flipped CTM
		{"seed-gopdf.pdf", EngineFast, true},
		{"seed-cid-ucs2.pdf", EngineFast, true},
		{"seed-ghostscript.pdf", EngineFast, true}, // T* line moves: no stray 人/治
		{"seed-chromium.pdf", EngineFast, true},    // Type 3 fonts with ToUnicode, ActualText spans
		{"seed-cid-utf16.pdf", EnginePdfium, false},
		{"seed-cid-gbk.pdf", EnginePdfium, false},
		{"seed-libreoffice-aes256.pdf", EnginePdfium, false},
		{"seed-xobject.pdf", EnginePdfium, false},
	}
	pdfiumOnly := NewReader(Options{ForceEngine: EnginePdfium})
	defer pdfiumOnly.Close()
	fastOnly := NewReader(Options{ForceEngine: EngineFast})
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data := readFixture(t, c.file)
			pages, engine, err := shared.Pages(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if engine != c.engine {
				t.Errorf("engine %q, want %q", engine, c.engine)
			}
			if len(pages) != 9 {
				t.Errorf("%d pages, want 9", len(pages))
			}
			checkText(t, pages, clean)

			pages, _, err = pdfiumOnly.Pages(context.Background(), data)
			if err != nil {
				t.Fatalf("pdfium: %v", err)
			}
			checkText(t, pages, clean)

			if c.fastOK {
				pages, _, err = fastOnly.Pages(context.Background(), data)
				if err != nil {
					t.Fatalf("fast: %v", err)
				}
				checkText(t, pages, clean)
			}
		})
	}
}

// The fast engine must refuse, by font class, the files it would misread.
func TestClassifyRefusesFastEngine(t *testing.T) {
	cases := map[string]string{
		"seed-cid-utf16.pdf":         "predefined CMap UniGB-UTF16-H without ToUnicode",
		"seed-cid-gbk.pdf":           "predefined CMap GBK-EUC-H without ToUnicode",
		"seed-xobject.pdf":           "Form XObject",
		"seed-gopdf-notounicode.pdf": "CID font without Unicode mapping",
	}
	for file, want := range cases {
		doc, class, err := shared.inspect(context.Background(), readFixture(t, file))
		if err != nil || doc == nil {
			t.Errorf("%s: inspect: %v", file, err)
			continue
		}
		if class.pdfiumReason != want {
			t.Errorf("%s: reason %q, want %q", file, class.pdfiumReason, want)
		}
	}
	// AES-256: the Go parser cannot open it, so pdfium reads it.
	if _, _, err := shared.inspect(context.Background(), readFixture(t, "seed-libreoffice-aes256.pdf")); err == nil {
		t.Error("seed-libreoffice-aes256.pdf: the fast engine opened it; routing assumptions changed")
	}
}

// Type 3 fonts go to the fast engine only with a ToUnicode map and a
// FontMatrix that keeps advances horizontal: the Chromium file altered in
// place (same length, so its cross-reference table still holds). Its maps
// are compressed; type3_test.go tries broken maps.
func TestType3Refusals(t *testing.T) {
	data := readFixture(t, "seed-chromium.pdf")
	cases := []struct {
		name, old, new, want string
	}{
		{"no ToUnicode", "/ToUnicode", "/ToUnicodX", "Type 3 font without ToUnicode"},
		{"skewed FontMatrix", "/FontMatrix [.00100000005 0 0", "/FontMatrix [.00100000005 1 0", "Type 3 font with a rotated or skewed FontMatrix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			altered := bytes.ReplaceAll(data, []byte(c.old), []byte(c.new))
			if len(altered) != len(data) || bytes.Equal(altered, data) {
				t.Fatalf("fixture edit %q → %q changed the length or nothing", c.old, c.new)
			}
			_, class, err := shared.inspect(context.Background(), altered)
			if err != nil {
				t.Fatal(err)
			}
			if class.pdfiumReason != c.want {
				t.Errorf("reason %q, want %q", class.pdfiumReason, c.want)
			}
		})
	}
}

// The 项目支出绩效自评表 comes out with its rows in order, routed and with
// the fast engine forced.
func TestSelfEvalTable(t *testing.T) {
	truth := string(readFixture(t, "selfeval-table-truth.txt"))
	fastOnly := NewReader(Options{ForceEngine: EngineFast})
	cases := []struct {
		file   string
		reader *Reader
		engine string
	}{
		{"selfeval-table-libreoffice.pdf", shared, EngineFast},
		{"selfeval-table-chromium.pdf", shared, EngineFast}, // Type 3 fonts with ToUnicode
		{"selfeval-table-libreoffice.pdf", fastOnly, EngineFast},
		{"selfeval-table-chromium.pdf", fastOnly, EngineFast},
	}
	for _, c := range cases {
		file := c.file
		t.Run(file, func(t *testing.T) {
			pages, engine, err := c.reader.Pages(context.Background(), readFixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if engine != c.engine {
				t.Errorf("engine %q, want %q", engine, c.engine)
			}
			checkText(t, pages, truth)
			got := stripSpace(strings.Join(pages, ""))
			at := 0
			for _, row := range strings.Split(strings.TrimSpace(truth), "\n") {
				for _, cell := range strings.Split(row, "\t") {
					cell = stripSpace(cell)
					i := strings.Index(got[at:], cell)
					if i < 0 {
						t.Fatalf("cell %q of row %q missing or out of order", cell, row)
					}
					at += i + len(cell)
				}
			}
			// The money row keeps its cells apart and on one line.
			if !strings.Contains(strings.Join(pages, "\n"), "年度资金总额 240 240 226.5 10 94.38% 9.44") {
				t.Errorf("money row not on one line with its cells apart:\n%s", pages[0])
			}
		})
	}
}

func TestClearErrors(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"seed-scanned-p1.pdf", readFixture(t, "seed-scanned-p1.pdf"), ErrNoText},
		{"seed-gopdf-notounicode.pdf", readFixture(t, "seed-gopdf-notounicode.pdf"), ErrNotDecodable},
		{"selfeval-table-userpassword.pdf", readFixture(t, "selfeval-table-userpassword.pdf"), ErrEncrypted},
		{"seed-libreoffice-truncated.pdf", readFixture(t, "seed-libreoffice-truncated.pdf"), ErrMalformed},
		{"empty", nil, ErrMalformed},
		{"header only", []byte("%PDF-1.7\n"), ErrMalformed},
		{"not a pdf", []byte("%PDF-1.4\nthis is not a PDF at all\n%%EOF\n"), ErrMalformed},
		{"nested arrays", nestedBomb(100000), ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pages, _, err := shared.Pages(context.Background(), c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v (pages %q)", err, c.want, pages)
			}
		})
	}
	// pdfium is still usable after the bad files.
	if _, _, err := shared.Pages(context.Background(), readFixture(t, "seed-cid-gbk.pdf")); err != nil {
		t.Errorf("after bad files: %v", err)
	}
}

// The same form read whole, as a tab grid (the truth), from LibreOffice's PDF
// and from Chromium's (narrow label columns wrapped: 项目名 / 称): every field
// the form states, and the same rows.
func TestSelfEvalTableFields(t *testing.T) {
	runner, closeRunner := NewRunner()
	defer closeRunner()
	for _, file := range []string{"selfeval-table-truth.txt", "selfeval-table-libreoffice.pdf", "selfeval-table-chromium.pdf"} {
		t.Run(file, func(t *testing.T) {
			ext, err := runner.File(context.Background(), file, readFixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			r := ext.Report
			got := []string{r.Organization, r.Project, r.Kind, fmt.Sprint(r.Year), r.Budget.Planned.Yuan(), r.Budget.Adjusted.Yuan(),
				r.Budget.Executed.Yuan(), r.Budget.ExecutionRate.Trim(), r.Score.Trim(), fmt.Sprint(len(r.Indicators))}
			want := []string{"新疆维吾尔自治区红十字会", "红十字专项业务费", "project", "2022", "2400000", "2400000", "2265000", "94.38", "90.58", "10"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}
