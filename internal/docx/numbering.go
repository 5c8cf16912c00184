package docx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// Word numbers list paragraphs itself: the 一、 of a heading is not in the
// text, only a w:numPr pointing into word/numbering.xml. The reader renders
// the number the way Word shows it, so a heading reaches the model with its
// section number, as it does in every text rendering.

type level struct {
	start  int
	format string // w:numFmt: decimal, chineseCounting, upperLetter, bullet …
	text   string // w:lvlText: "%1、", "（%2）"
	legal  bool   // w:isLgl: every level shown as decimal
}

type numbering struct {
	abstract map[string]map[int]level // abstractNumId → ilvl → level
	nums     map[string]numDef        // numId → its definition
	styles   map[string]styleDef      // paragraph styleId → numbering, basedOn
	counters map[string][]int         // per abstract list: the counter of each level
	started  map[string]bool          // numIds seen (a startOverride applies once)
}

type numDef struct {
	abstract string
	override map[int]int   // ilvl → startOverride
	levels   map[int]level // ilvl → w:lvlOverride/w:lvl
}

type styleDef struct {
	num     *numRef
	basedOn string
}

func parseNumbering(numXML, stylesXML []byte) *numbering {
	n := &numbering{abstract: map[string]map[int]level{}, nums: map[string]numDef{},
		styles: map[string]styleDef{}, counters: map[string][]int{}, started: map[string]bool{}}
	var doc struct {
		Abstract []struct {
			ID     string     `xml:"abstractNumId,attr"`
			Levels []xmlLevel `xml:"lvl"`
		} `xml:"abstractNum"`
		Num []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
			Overrides []struct {
				Ilvl  int `xml:"ilvl,attr"`
				Start *struct {
					Val int `xml:"val,attr"`
				} `xml:"startOverride"`
				Level *xmlLevel `xml:"lvl"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	if xml.Unmarshal(numXML, &doc) == nil {
		for _, a := range doc.Abstract {
			lv := map[int]level{}
			for _, l := range a.Levels {
				lv[l.Ilvl] = l.level()
			}
			n.abstract[a.ID] = lv
		}
		for _, d := range doc.Num {
			def := numDef{abstract: d.Abstract.Val, override: map[int]int{}, levels: map[int]level{}}
			for _, o := range d.Overrides {
				if o.Start != nil {
					def.override[o.Ilvl] = o.Start.Val
				}
				if o.Level != nil {
					def.levels[o.Ilvl] = o.Level.level()
				}
			}
			n.nums[d.ID] = def
		}
	}
	var st struct {
		Styles []struct {
			ID      string `xml:"styleId,attr"`
			BasedOn struct {
				Val string `xml:"val,attr"`
			} `xml:"basedOn"`
			NumPr *struct {
				Ilvl *struct {
					Val int `xml:"val,attr"`
				} `xml:"ilvl"`
				NumID struct {
					Val string `xml:"val,attr"`
				} `xml:"numId"`
			} `xml:"pPr>numPr"`
		} `xml:"style"`
	}
	if xml.Unmarshal(stylesXML, &st) == nil {
		for _, s := range st.Styles {
			d := styleDef{basedOn: s.BasedOn.Val}
			if s.NumPr != nil {
				d.num = &numRef{numID: s.NumPr.NumID.Val}
				if s.NumPr.Ilvl != nil {
					d.num.ilvl = s.NumPr.Ilvl.Val
				}
			}
			n.styles[s.ID] = d
		}
	}
	return n
}

type xmlLevel struct {
	Ilvl  int `xml:"ilvl,attr"`
	Start *struct {
		Val int `xml:"val,attr"`
	} `xml:"start"`
	Format struct {
		Val string `xml:"val,attr"`
	} `xml:"numFmt"`
	Text struct {
		Val string `xml:"val,attr"`
	} `xml:"lvlText"`
	Legal *struct {
		Val string `xml:"val,attr"`
	} `xml:"isLgl"`
}

func (x xmlLevel) level() level {
	l := level{start: 1, format: x.Format.Val, text: x.Text.Val}
	if x.Start != nil {
		l.start = x.Start.Val
	}
	if l.format == "" {
		l.format = "decimal"
	}
	l.legal = x.Legal != nil && x.Legal.Val != "0" && x.Legal.Val != "false"
	return l
}

// ref is the numbering a paragraph takes: its own w:numPr, else its
// style's (following basedOn). numId 0 switches numbering off.
func (n *numbering) ref(p *paragraph) *numRef {
	if p.num != nil {
		return p.num
	}
	seen := map[string]bool{}
	for id := p.style; id != "" && !seen[id]; id = n.styles[id].basedOn {
		seen[id] = true
		if r := n.styles[id].num; r != nil {
			return r
		}
	}
	return nil
}

// label counts the paragraph in its list and returns its rendered number
// ("一、", "（二）", "3."), "" for none or a bullet.
func (n *numbering) label(p *paragraph) string {
	r := n.ref(p)
	if r == nil || r.numID == "" || r.numID == "0" {
		return ""
	}
	def, ok := n.nums[r.numID]
	if !ok {
		return ""
	}
	levels := n.levelsOf(def)
	lv, ok := levels[r.ilvl]
	if !ok || r.ilvl < 0 || r.ilvl > 8 {
		return ""
	}
	c := n.counters[def.abstract]
	if c == nil {
		c = make([]int, 9)
		for i := range c {
			c[i] = levels[i].start - 1
		}
	}
	if !n.started[r.numID] {
		n.started[r.numID] = true
		for i, s := range def.override {
			if i >= 0 && i < 9 {
				c[i] = s - 1
			}
		}
	}
	c[r.ilvl]++
	for i := r.ilvl + 1; i < 9; i++ { // a deeper level restarts under a new item
		c[i] = levels[i].start - 1
	}
	n.counters[def.abstract] = c
	if lv.format == "bullet" || lv.format == "none" {
		return ""
	}
	return renderLevel(lv, levels, c)
}

func (n *numbering) levelsOf(def numDef) map[int]level {
	base := n.abstract[def.abstract]
	if len(def.levels) == 0 {
		return base
	}
	out := make(map[int]level, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range def.levels {
		out[k] = v
	}
	return out
}

// renderLevel fills lvlText's %1…%9 with the counters of those levels.
func renderLevel(lv level, levels map[int]level, c []int) string {
	var b strings.Builder
	t := lv.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			f := levels[k].format
			if lv.legal {
				f = "decimal"
			}
			b.WriteString(formatNumber(c[k], f))
			i++
			continue
		}
		b.WriteByte(t[i])
	}
	return b.String()
}

// formatNumber writes n in a w:numFmt.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "ideographDigital":
		return chineseNumber(n, false)
	case "chineseLegalSimplified", "ideographLegalTraditional":
		return chineseNumber(n, true)
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedParen":
		return "（" + strconv.Itoa(n) + "）"
	case "decimalFullWidth", "decimalFullWidth2":
		return strconv.Itoa(n) // full-width digits would be made ASCII anyway
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
			if format == "lowerLetter" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "upperRoman", "lowerRoman":
		s := roman(n)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	}
	return strconv.Itoa(n)
}

// chineseNumber writes 1–9999 the way a Chinese list counts: 一, 十, 十一,
// 二十一, 一百零五; legal (大写) digits when asked.
func chineseNumber(n int, legal bool) string {
	digits, units := []rune("零一二三四五六七八九"), []rune(" 十百千")
	if legal {
		digits, units = []rune("零壹贰叁肆伍陆柒捌玖"), []rune(" 拾佰仟")
	}
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	var out []rune
	s := strconv.Itoa(n)
	zero := false
	for i, ch := range s {
		d := int(ch - '0')
		pos := len(s) - 1 - i
		if d == 0 {
			zero = true
			continue
		}
		if zero && len(out) > 0 {
			out = append(out, digits[0])
		}
		zero = false
		if !(d == 1 && pos == 1 && len(s) == 2 && !legal) { // 十一, not 一十一
			out = append(out, digits[d])
		}
		if pos > 0 {
			out = append(out, units[pos])
		}
	}
	return string(out)
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
