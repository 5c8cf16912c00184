package extract

import (
	"regexp"
	"strconv"

	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

var dateRe = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?`)

// datesOf lists every year-month date in the text.
func datesOf(doc *normalize.Doc, text string) []pipeline.Date {
	out := []pipeline.Date{}
	for _, m := range findIn(dateRe, text, []string{"月"}, -1) {
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		mo, _ := strconv.Atoi(text[m[4]:m[5]])
		if mo < 1 || mo > 12 {
			continue
		}
		d := pipeline.Date{Quote: text[m[0]:m[1]], Year: y, Month: mo}
		if m[6] >= 0 {
			d.Day, _ = strconv.Atoi(text[m[6]:m[7]])
		}
		d.Line, d.Page = doc.Pos(m[0])
		out = append(out, d)
	}
	return out
}
