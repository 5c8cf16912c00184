package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/report"
)

// templateFuncs are the formatting helpers the pages use. Each returns plain
// text; html/template escapes it where it lands. The wording of figures is
// the report package's, the same as in every other output.
var templateFuncs = template.FuncMap{
	"wan":         report.Amount,
	"yuan":        report.Yuan,
	"dec":         report.Decimal,
	"pct":         report.Percent,
	"orDash":      report.OrDash,
	"year":        report.Year,
	"kind":        report.Kind,
	"sevLabel":    report.Severity,
	"sevClass":    report.SeverityClass,
	"markLabel":   report.MarkLabel,
	"reviewLabel": report.ReviewLabel,
	"ruleName":    report.RuleName,
	"ocrText":     report.OCRText,
	"unsure":      report.Unsure,
	"place":       report.Place,
	"orgURL":      orgURL,
	"seriesURL": func(org, project string) string {
		return seriesURL(org, project)
	},
	"reportURL": func(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) },
	"add":       func(a, b int) int { return a + b },
	"joinYears": joinYears,
	"pctFloat":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
}

func orgURL(org string) string {
	return "/org?" + url.Values{"name": {org}}.Encode()
}

func seriesURL(org, project string) string {
	return "/org?" + url.Values{"name": {org}, "project": {project}}.Encode()
}

func joinYears(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, "、")
}
