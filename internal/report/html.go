package report

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"strconv"

	"github.com/jixiao/jixiao/pipeline"
)

//go:embed report.css
var stylesheet string

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// Stylesheet is the CSS the HTML report needs, for a page that embeds
// HTMLArticle in its own layout.
func Stylesheet() template.CSS { return template.CSS(stylesheet) }

// HTML writes a standalone HTML page reviewing one extraction: header, key
// figures, findings by severity, the re-scored indicator table, and the
// report's normalised text with each finding's evidence highlighted and
// linked both ways. The page loads nothing from anywhere and needs no script.
func HTML(w io.Writer, ext *pipeline.Extraction) error {
	return HTMLPage(w, []*pipeline.Extraction{ext})
}

// HTMLReviewed is HTML with what reviewers recorded (rev may be nil).
func HTMLReviewed(w io.Writer, ext *pipeline.Extraction, rev *Review) error {
	return htmlPage(w, []*pipeline.Extraction{ext}, []*Review{rev})
}

// HTMLPage writes one standalone page reviewing several extractions, with a
// table of contents when there is more than one.
func HTMLPage(w io.Writer, exts []*pipeline.Extraction) error {
	return htmlPage(w, exts, nil)
}

// htmlPage is HTMLPage with the review of each extraction (revs nil, or
// one per extraction, each possibly nil).
func htmlPage(w io.Writer, exts []*pipeline.Extraction, revs []*Review) error {
	page := struct {
		Title   string
		CSS     template.CSS
		Reports []*htmlView
	}{Title: "绩效自评报告审核结果", CSS: Stylesheet()}
	for i, ext := range exts {
		prefix := ""
		if len(exts) > 1 {
			prefix = "r" + strconv.Itoa(i+1) + "-"
		}
		var rev *Review
		if i < len(revs) {
			rev = revs[i]
		}
		page.Reports = append(page.Reports, &htmlView{newView(ext, prefix, rev)})
	}
	if len(exts) == 1 {
		page.Title += "：" + page.Reports[0].Title
	}
	return htmlTemplate.ExecuteTemplate(w, "page", page)
}

// HTMLArticle renders the review of one extraction as an <article> element
// for embedding in another page (with Stylesheet). prefix is put before
// every id so that several articles can share a page.
func HTMLArticle(ext *pipeline.Extraction, prefix string) (template.HTML, error) {
	var b bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&b, "article", &htmlView{newView(ext, prefix, nil)}); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// htmlView adds what only the HTML template needs.
type htmlView struct{ *view }

func (htmlView) AuditColumns() []string { return auditColumns }
