package extract

import (
	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/pipeline"
)

// datesOf lists the year-month dates of the report's running text (the
// model's dates outside tables and chrome).
func datesOf(doc *document.Doc) []pipeline.Date {
	out := []pipeline.Date{}
	for _, d := range doc.Dates {
		if d.Month == 0 || doc.Blocks[d.Block].Kind == document.TableBlock {
			continue
		}
		pd := pipeline.Date{Quote: doc.Text[d.Start:d.End], Year: d.Year, Month: d.Month, Day: d.Day}
		pd.Line, pd.Page = doc.Line(d.Start)
		out = append(out, pd)
	}
	return out
}
