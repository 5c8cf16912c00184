package pdf

import (
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// The fast engine reads content streams with ledongthuc/pdf's parser and
// font decoders but its own text walker: GetPlainText decodes the line-move
// operator T* through the current font (the stray 人/治 of the Ghostscript
// file) and knows no positions, so rows of a table run together. The walker
// here tracks the text and graphics matrices, breaks lines when the baseline
// moves and puts a space where a gap is wider than a third of an em, using
// the fonts' widths. It is only used on the font classes route.go lets
// through.

type fastFont struct {
	enc     lpdf.TextEncoding
	twoByte bool            // Type0 fonts here use 2-byte codes
	widths  map[int]float64 // code → width in 1/1000 em
	dw      float64
}

func newFastFont(v lpdf.Value) *fastFont {
	f := lpdf.Font{V: v}
	ff := &fastFont{enc: f.Encoder(), widths: map[int]float64{}, dw: 1000}
	if v.Key("Subtype").Name() == "Type0" {
		ff.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
			ff.dw = dw.Float64()
		}
		readCIDWidths(d.Key("W"), ff.widths)
		return ff
	}
	ff.dw = 500
	scale := 1.0 // glyph-space width → 1/1000 em
	if v.Key("Subtype").Name() == "Type3" {
		// Decoded through its own ToUnicode map (route.go lets a Type 3
		// font through only with one); its widths are in glyph space,
		// taken to text space by FontMatrix (Chromium: 0.001, the usual
		// 1/1000 em). A code missing from Widths has width 0.
		if enc := f.ToUnicode(); enc != nil {
			ff.enc = enc
		} else {
			ff.enc = undecodable{}
		}
		scale, ff.dw = type3WidthScale(v)*1000, 0
	}
	first := int(v.Key("FirstChar").Int64())
	w := v.Key("Widths")
	for i := 0; i < w.Len() && i < 256; i++ {
		ff.widths[first+i] = w.Index(i).Float64() * scale
	}
	return ff
}

// type3WidthScale is what a glyph-space width is multiplied by to give
// text-space units: FontMatrix's a, when the matrix neither rotates nor
// skews the advance (0 otherwise: route.go refuses such fonts).
func type3WidthScale(font lpdf.Value) float64 {
	m := font.Key("FontMatrix")
	if m.Len() != 6 || m.Index(1).Float64() != 0 || m.Index(0).Float64() <= 0 {
		return 0
	}
	return m.Index(0).Float64()
}

// undecodable decodes every code to U+FFFD, which the quality gate refuses.
type undecodable struct{}

func (undecodable) Decode(raw string) string {
	return strings.Repeat("\uFFFD", len(raw))
}

// readCIDWidths reads a CIDFont W array: [c [w1 w2 ...]] or [cfirst clast w].
func readCIDWidths(w lpdf.Value, out map[int]float64) {
	for i := 0; i < w.Len() && len(out) < 1<<16; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			for j := 0; j < next.Len() && j < 1<<16; j++ {
				out[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		width := w.Index(i + 2).Float64()
		if last-c > 1<<16 || last < c {
			return
		}
		for k := c; k <= last; k++ {
			out[k] = width
		}
		i += 3
	}
}

// advance returns the width of raw codes in text-space units per unit font
// size, with character and word spacing, before horizontal scaling.
func (f *fastFont) advance(raw string, size, tc, tw float64) float64 {
	step := 1
	if f.twoByte {
		step = 2
	}
	var total float64
	for i := 0; i+step <= len(raw); i += step {
		code := int(raw[i])
		if step == 2 {
			code = code<<8 | int(raw[i+1])
		}
		w, ok := f.widths[code]
		if !ok {
			w = f.dw
		}
		total += w/1000*size + tc
		if step == 1 && raw[i] == ' ' {
			total += tw
		}
	}
	return total
}

type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// pageWriter accumulates one page's text as lines.
type pageWriter struct {
	b        strings.Builder
	started  bool
	lastY    float64 // device y of the last baseline
	lastX    float64 // device x where the last shown text started
	lastEndX float64 // device x where the last shown text ended
	lastEm   float64 // device size of the last font
	lastText string
}

func (w *pageWriter) show(text string, x, y, endX, em float64) {
	if text == "" {
		return
	}
	if w.started && text == w.lastText && math.Abs(x-w.lastX) < em/4 && math.Abs(y-w.lastY) < em/4 {
		// The same text drawn again a hair away: "fake bold" (WPS, Word
		// print drivers). Keeping it would double every character and
		// every digit of a figure.
		return
	}
	if w.started {
		tol := 0.5 * math.Max(math.Min(em, w.lastEm), 1)
		switch {
		case math.Abs(y-w.lastY) > tol:
			w.b.WriteByte('\n')
		case x-w.lastEndX > em/3 || x < w.lastEndX-2*em:
			w.b.WriteByte(' ')
		}
	}
	w.b.WriteString(text)
	w.started, w.lastX, w.lastY, w.lastEndX, w.lastEm, w.lastText = true, x, y, endX, em, text
}

// markedContent tracks BMC/BDC … EMC spans for their ActualText: the text
// a span's glyphs stand for when the font's ToUnicode map cannot say it.
// Chromium maps a glyph shared by two characters to one of them (民 to the
// radical ⺠ U+2EA0, 长 to ⻓) and wraps the glyph in an ActualText span that
// names the real one; pdfium reads it too. The outermost ActualText wins;
// its text takes the place of the span's first glyphs, the rest add none.
type markedContent struct {
	stack  []span
	active int // index of the span whose ActualText applies; -1 none
	extra  int // spans deeper than maxSpans, not tracked
}

type span struct{ actual string }

const maxSpans = 1024

func (m *markedContent) begin(props lpdf.Value) {
	if len(m.stack) >= maxSpans {
		m.extra++
		return
	}
	if a := props.Key("ActualText"); m.active < 0 && a.Kind() == lpdf.String {
		m.active = len(m.stack)
		m.stack = append(m.stack, span{actual: a.Text()})
		return
	}
	m.stack = append(m.stack, span{})
}

func (m *markedContent) end() {
	if m.extra > 0 {
		m.extra--
		return
	}
	if n := len(m.stack); n > 0 {
		m.stack = m.stack[:n-1]
		if m.active == n-1 {
			m.active = -1
		}
	}
}

// objRef names an indirect object: fonts shared by pages are read once.
// maxDocFonts bounds the cache (a hostile file can name millions).
const maxDocFonts = 4096

type objRef struct {
	id  uint32
	gen uint16
}

func keyRef(dict lpdf.Value, key string) (objRef, bool) {
	id, gen, ok := dict.KeyRef(key)
	return objRef{id, gen}, ok
}

// fastPageText walks one page's content stream. docFonts holds the fonts
// already read on earlier pages, by object.
func fastPageText(p lpdf.Page, docFonts map[objRef]*fastFont) string {
	if p.V.IsNull() || p.V.Key("Contents").Kind() == lpdf.Null {
		return ""
	}
	resources := p.Resources()
	fontDicts := resources.Key("Font")
	fonts := map[string]*fastFont{}
	var (
		w        pageWriter
		ctm      = identity
		stack    []matrix
		tm, tlm  = identity, identity
		font     *fastFont
		size     float64
		tc, tw   float64
		th       = 1.0
		tl, rise float64
		spans    = markedContent{active: -1}
	)
	showRaw := func(raw string) {
		if font == nil {
			return
		}
		trm := matrix{size * th, 0, 0, size, 0, rise}.mul(tm).mul(ctm)
		em := math.Hypot(trm[2], trm[3])
		adv := font.advance(raw, size, tc, tw) * th
		end := translate(adv, 0).mul(tm).mul(ctm)
		text := font.enc.Decode(raw)
		if spans.active >= 0 {
			text, spans.stack[spans.active].actual = spans.stack[spans.active].actual, ""
		}
		// Measure along the baseline: rotated text (a landscape table on
		// a portrait page) has its lines apart in x, not in y.
		c, s := 1.0, 0.0
		if n := math.Hypot(trm[0], trm[1]); n > 0 {
			c, s = trm[0]/n, trm[1]/n
		}
		x, y := trm[4]*c+trm[5]*s, -trm[4]*s+trm[5]*c
		if text == "" && spans.active >= 0 {
			// The rest of a replaced span: its glyphs are in the
			// ActualText already, but they still end where it ends.
			w.lastEndX = end[4]*c + end[5]*s
		}
		w.show(text, x, y, end[4]*c+end[5]*s, em)
		tm = translate(adv, 0).mul(tm)
	}
	nextLine := func() {
		tlm = translate(0, -tl).mul(tlm)
		tm = tlm
	}
	lpdf.Interpret(p.V.Key("Contents"), func(stk *lpdf.Stack, op string) {
		args := make([]lpdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "BMC":
			spans.begin(lpdf.Value{})
		case "BDC":
			if len(args) == 2 {
				props := args[1]
				if props.Kind() == lpdf.Name {
					props = resources.Key("Properties").Key(props.Name())
				}
				spans.begin(props)
			}
		case "EMC":
			spans.end()
		case "q":
			if len(stack) < 1024 {
				stack = append(stack, ctm)
			}
		case "Q":
			if n := len(stack); n > 0 {
				ctm, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) != 2 {
				return
			}
			name := args[0].Name()
			if _, ok := fonts[name]; !ok {
				ref, indirect := keyRef(fontDicts, name)
				if f, seen := docFonts[ref]; indirect && seen {
					fonts[name] = f
				} else if fv := fontDicts.Key(name); !fv.IsNull() {
					fonts[name] = newFastFont(fv)
					if indirect && len(docFonts) < maxDocFonts {
						docFonts[ref] = fonts[name]
					}
				} else {
					fonts[name] = nil
				}
			}
			font, size = fonts[name], num(1)
		case "Tc":
			tc = num(0)
		case "Tw":
			tw = num(0)
		case "Tz":
			th = num(0) / 100
		case "TL":
			tl = num(0)
		case "Ts":
			rise = num(0)
		case "Td":
			tlm = translate(num(0), num(1)).mul(tlm)
			tm = tlm
		case "TD":
			tl = -num(1)
			tlm = translate(num(0), num(1)).mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			nextLine()
		case "'":
			nextLine()
			if len(args) == 1 {
				showRaw(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				tw, tc = num(0), num(1)
				nextLine()
				showRaw(args[2].RawString())
			}
		case "Tj":
			if len(args) == 1 {
				showRaw(args[0].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == lpdf.String {
					showRaw(x.RawString())
				} else {
					tm = translate(-x.Float64()/1000*size*th, 0).mul(tm)
				}
			}
		}
	})
	return w.b.String()
}
