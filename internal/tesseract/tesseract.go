// Package tesseract recognises text in page images with Tesseract (Debian's
// tesseract-ocr and tesseract-ocr-chi-sim), through its C API.
//
// The library is opened at run time (dlopen), not linked: jixiao builds
// with a C compiler alone, starts on a machine without Tesseract, and only a
// scanned document needs it — for which ErrMissing carries the install
// hint. Against the command line (cmd/jixiao's BenchmarkScanVsScript):
// the API reuses one loaded model per engine, takes the page as pixels (no
// image file written and decoded again), and walks the result iterator to
// each character's box and confidence, with no process per page.
//
// An Engine is one TessBaseAPI with the model loaded (~70 MB for chi_sim):
// not safe for concurrent use. Run one per core and reuse it across pages
// and documents; OMP_THREAD_LIMIT=1 is set before the library loads so an
// engine stays on its one core.
package tesseract

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
)

// ErrMissing: the library or its Chinese language data is not installed.
// Its text is what a user reads after the file name.
var ErrMissing = errors.New("识别扫描件需要 Tesseract OCR，请安装：apt-get install tesseract-ocr tesseract-ocr-chi-sim（或 make deps）")

// Lang is the language data jixiao recognises with: simplified Chinese,
// whose model also reads digits and Latin letters.
const Lang = "chi_sim"

// PSMSingleBlock is Tesseract's page segmentation mode 6: the page read as
// one block of text. jixiao finds columns and cells itself from the word
// boxes; Tesseract's own page layout analysis (mode 3) costs ~15% more per
// page and splits a table's cells into blocks in an order that loses rows.
const PSMSingleBlock = 6

// vars are set when an engine starts. Dictionaries are not loaded: the LSTM
// model reads Chinese without them, and they cost start-up time and memory.
// Inverted text (white on black) does not occur in these reports, and the
// second pass Tesseract otherwise makes on every doubtful line is ~13% of
// a page.
//
// Tesseract's diagnostics ("Image too small to scale!!") go to debug_file,
// not to the user's terminal.
var vars = map[string]string{
	"debug_file":         os.DevNull,
	"load_system_dawg":   "0",
	"load_freq_dawg":     "0",
	"tessedit_do_invert": "0",
}

// Engine is one loaded Tesseract.
type Engine struct {
	h handle
}

// New starts an engine for lang. It fails with ErrMissing when the library
// or the language data is not installed.
func New(lang string) (*Engine, error) {
	if err := load(); err != nil {
		return nil, err
	}
	dir, err := dataDir(lang)
	if err != nil {
		return nil, err
	}
	h, err := newHandle(dir, lang, vars)
	if err != nil {
		return nil, err
	}
	return &Engine{h: h}, nil
}

// dataDir finds the directory holding lang's model, where Tesseract would
// look: TESSDATA_PREFIX when set, else the directories Debian's packages
// install to. Looking first keeps Tesseract from printing its own
// complaint to the terminal, and a missing model is ErrMissing.
func dataDir(lang string) (string, error) {
	var dirs []string
	if p := os.Getenv("TESSDATA_PREFIX"); p != "" {
		dirs = []string{p, filepath.Join(p, "tessdata")}
	} else {
		dirs, _ = filepath.Glob("/usr/share/tesseract-ocr/*/tessdata")
		dirs = append(dirs, "/usr/share/tessdata", "/usr/local/share/tessdata")
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, lang+".traineddata")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w（未找到 %s 语言数据）", ErrMissing, lang)
}

// Available reports whether an engine for lang can start, and why not.
func Available(lang string) error {
	e, err := New(lang)
	if err != nil {
		return err
	}
	e.Close()
	return nil
}

// Close releases the engine.
func (e *Engine) Close() {
	if e.h != nil {
		deleteHandle(e.h)
		e.h = nil
	}
}

// Word is one word Tesseract read, with its box in the image's pixels, its
// confidence (0–100) and its characters.
type Word struct {
	Text       string
	Box        image.Rectangle
	Confidence float64
	Symbols    []Symbol
	// Block, Par and Line number Tesseract's own segmentation (1-based,
	// per page); Line is unique within its paragraph.
	Block, Par, Line int
}

// Symbol is one character of a word: its text, box and confidence.
type Symbol struct {
	Text       string
	Box        image.Rectangle
	Confidence float64
}

// Recognize reads an 8-bit grey image at dpi with page segmentation mode
// psm and returns its words in Tesseract's reading order.
func (e *Engine) Recognize(img *image.Gray, dpi, psm int) ([]Word, error) {
	b := img.Bounds()
	syms, err := recognize(e.h, img.Pix, b.Dx(), b.Dy(), img.Stride, dpi, psm)
	if err != nil {
		return nil, err
	}
	return words(syms, b.Min), nil
}

// words groups the iterator's symbols into words, numbering blocks,
// paragraphs and lines as Tesseract found them.
func words(syms []symbol, origin image.Point) []Word {
	var out []Word
	block, par, line := 0, 0, 0
	for _, s := range syms {
		switch {
		case s.begin&beginBlock != 0:
			block, par, line = block+1, 1, 1
		case s.begin&beginPara != 0:
			par, line = par+1, 1
		case s.begin&beginLine != 0:
			line++
		}
		if s.begin&beginWord != 0 || len(out) == 0 {
			out = append(out, Word{Box: s.wordBox.Add(origin), Confidence: s.wordConf, Block: block, Par: par, Line: line})
		}
		w := &out[len(out)-1]
		w.Text += s.text
		w.Symbols = append(w.Symbols, Symbol{Text: s.text, Box: s.box.Add(origin), Confidence: s.conf})
	}
	kept := out[:0]
	for _, w := range out {
		if strings.TrimSpace(w.Text) != "" {
			kept = append(kept, w)
		}
	}
	return kept
}
