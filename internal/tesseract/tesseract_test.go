package tesseract

import (
	"errors"
	"image"
	"image/draw"
	"image/jpeg"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestRecognize(t *testing.T) {
	f, err := os.Open("../../testdata/scan/tilted.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	e, err := New(Lang)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for run := range 2 { // the engine is reused: the second page reads the same
		ws, err := e.Recognize(g, 200, PSMSingleBlock)
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, w := range ws {
			text.WriteString(w.Text)
			if w.Box.Empty() || w.Confidence <= 0 || w.Confidence > 100 || len(w.Symbols) == 0 || w.Line == 0 {
				t.Errorf("run %d: word %+v", run, w)
			}
		}
		if !strings.Contains(text.String(), "城乡最低生活保障资金") {
			t.Errorf("run %d: read %q", run, text.String())
		}
	}
}

// Without the library, starting an engine is ErrMissing, whose text tells
// the user what to install. The library is opened once per process, so
// this runs in a child process of its own.
func TestMissingLibrary(t *testing.T) {
	if os.Getenv("JIXIAO_TESSERACT_CHILD") == "1" {
		Library = "libtesseract-not-installed.so.5"
		_, err := New(Lang)
		if !errors.Is(err, ErrMissing) {
			os.Stdout.WriteString("unexpected: ")
		}
		os.Stdout.WriteString(err.Error())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMissingLibrary$")
	cmd.Env = append(os.Environ(), "JIXIAO_TESSERACT_CHILD=1")
	out, _ := cmd.Output()
	if !strings.Contains(string(out), "apt-get install tesseract-ocr tesseract-ocr-chi-sim") || strings.Contains(string(out), "unexpected") {
		t.Errorf("child said %q", out)
	}
}
