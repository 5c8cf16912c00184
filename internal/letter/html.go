package letter

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed letter.css
var css string

//go:embed letter.html.tmpl
var page string

var htmlTemplate = template.Must(template.New("letter").Funcs(template.FuncMap{"cn": chineseNumber, "inc": func(i int) int { return i + 1 }}).Parse(page))

// HTML writes the letter as a page laid out for printing on A4 (the
// browser's print makes the PDF). With stylesheet "" the style sheet is
// inside the page, which then stands alone; else the page links to it
// (a server whose pages may not carry inline styles).
func (l *Letter) HTML(w io.Writer, stylesheet string) error {
	return htmlTemplate.Execute(w, struct {
		*Letter
		CSS        template.CSS
		Stylesheet string
	}{l, template.CSS(css), stylesheet})
}

// CSS is the style sheet of the HTML letter, for a server to serve.
func CSS() string { return css }
