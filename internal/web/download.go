package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// consistencyFormat is one download of the consistency report.
// Each carries what reviewers recorded: the status and every mark.
type consistencyFormat struct {
	ext, label, contentType string
	write                   func(w io.Writer, ext *pipeline.Extraction, rev *report.Review) error
}

var consistencyFormats = []consistencyFormat{
	{"html", "HTML", "text/html; charset=utf-8", report.HTMLReviewed},
	{"md", "Markdown", "text/markdown; charset=utf-8", report.MarkdownReviewed},
	{"json", "JSON", "application/json; charset=utf-8", writeExtractionJSON},
	{"xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report.XLSXReviewed},
}

// writeExtractionJSON writes the extraction (the extract-v1 object) with
// one more member, "review": the status and the marks.
func writeExtractionJSON(w io.Writer, ext *pipeline.Extraction, rev *report.Review) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*pipeline.Extraction
		Review *report.Review `json:"review,omitempty"`
	}{ext, rev})
}

// handleReportFile serves a report's downloads: "original" and
// "consistency.<format>". Names come from a fixed list; nothing in the
// path reaches a file system.
func (s *Server) handleReportFile(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	if file == "original" {
		s.handleOriginal(w, r)
		return
	}
	var format *consistencyFormat
	for i := range consistencyFormats {
		if "consistency."+consistencyFormats[i].ext == file {
			format = &consistencyFormats[i]
		}
	}
	if format == nil {
		s.renderError(w, http.StatusNotFound, "没有这个下载项；可选 original 或 consistency.html、.md、.json、.xlsx")
		return
	}
	rep, rev := s.loadReviewed(w, r)
	if rep == nil {
		return
	}
	var buf bytes.Buffer
	if err := format.write(&buf, rep.Extraction, rev); err != nil {
		s.internal(w, r, err)
		return
	}
	name := baseName(rep.Document.Name) + "-一致性报告." + format.ext
	sendAttachment(w, format.contentType, name, buf.Bytes())
}

func (s *Server) handleOriginal(w http.ResponseWriter, r *http.Request) {
	rep := s.loadReport(w, r)
	if rep == nil {
		return
	}
	if v := r.URL.Query().Get("version"); v != "" {
		if rep = s.loadVersion(w, r, rep, v); rep == nil {
			return
		}
	}
	data, err := s.store.Original(r.Context(), rep.Document.SHA256)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	sendAttachment(w, originalType(rep.Document.Format, rep.Extraction.Source.Encoding), rep.Document.Name, data)
}

// originalType is the media type of a stored document: a PDF, or text in
// the encoding it was read in.
func originalType(format, encoding string) string {
	if format == "pdf" {
		return "application/pdf"
	}
	switch encoding {
	case "utf-8", "utf-8-bom", "":
		return "text/plain; charset=utf-8"
	case "gb18030":
		return "text/plain; charset=gb18030"
	case "utf-16le", "utf-16be":
		return "text/plain; charset=utf-16"
	}
	return "application/octet-stream"
}

// sendAttachment answers with data as a download. The file name is encoded
// by mime (RFC 2231 for Chinese names), never pasted into the header.
func sendAttachment(w http.ResponseWriter, contentType, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": safeFileName(name)})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// safeFileName keeps a stored name printable and without path separators:
// a name stored before uploads were cleaned may still hold a control or
// bidi character, and a U+202E would show "报告\u202Efdp.exe" as
// "报告exe.pdf" in the reviewer's download bar.
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || unprintable(r) {
			return '_'
		}
		return r
	}, name)
	if strings.Trim(name, ". _") == "" {
		return "report"
	}
	return name
}

// unprintable reports whether r has no place in a file name shown to a
// reviewer: a control character, a format character (among them the bidi
// overrides and isolates, which reorder what is shown, and zero-width
// ones), a line or paragraph separator, or an invalid byte.
func unprintable(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || r == utf8.RuneError
}

func baseName(name string) string {
	name = safeFileName(name)
	if ext := path.Ext(name); ext != "" && len(ext) < len(name) {
		name = strings.TrimSuffix(name, ext)
	}
	return name
}
