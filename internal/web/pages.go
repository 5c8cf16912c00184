package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/jixiao/jixiao/internal/report"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageSet holds one template set per page, each the layout plus the page.
type pageSet struct {
	byName map[string]*template.Template
}

var pageNames = []string{"list", "report", "org", "orgs", "upload", "error"}

func parsePages() (*pageSet, error) {
	funcs := template.FuncMap{
		"auditStatus": report.AuditStatus,
		"chartArgs":   func(key string, c chart) chartArgs { return chartArgs{Key: key, C: c} },
		"sub":         func(a, b float64) float64 { return a - b },
		"add1":        func(a, b float64) float64 { return a + b },
		"div2":        func(a float64) float64 { return a / 2 },
		"float":       func(i int) float64 { return float64(i) },
	}
	for k, v := range templateFuncs {
		funcs[k] = v
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/chart.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	ps := &pageSet{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		ps.byName[name] = t
	}
	return ps, nil
}

type chartArgs struct {
	Key string
	C   chart
}

// pageData is what the layout reads; Data is the page's own.
type pageData struct {
	Title string
	Nav   string
	Data  any
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := s.pages.byName[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		s.log.Error("template failed", "page", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorData struct {
	Status     int
	StatusText string
	Message    string
}

func (s *Server) renderError(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", pageData{Title: "出错了", Data: errorData{
		Status: status, StatusText: statusTextZH(status), Message: msg,
	}})
}

func statusTextZH(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "请求有误"
	case http.StatusUnauthorized:
		return "需要访问令牌"
	case http.StatusForbidden:
		return "禁止访问"
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusMethodNotAllowed:
		return "不支持此操作"
	case http.StatusRequestEntityTooLarge:
		return "文件太大"
	case http.StatusUnsupportedMediaType:
		return "文件类型不支持"
	case http.StatusUnprocessableEntity:
		return "无法读取文件"
	case http.StatusServiceUnavailable:
		return "服务不可用"
	case http.StatusTooManyRequests:
		return "请求过多"
	case http.StatusMisdirectedRequest:
		return "主机名不符"
	}
	return "服务器错误"
}

// pageNotFound answers every request no route takes: 405 for a method
// the pages do not accept, else 404.
func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.renderError(w, http.StatusMethodNotAllowed, "此页面不支持 "+r.Method+" 请求")
		return
	}
	s.renderError(w, http.StatusNotFound, "没有这个页面："+r.URL.Path)
}

// staticHandler serves the embedded assets and nothing else: the file
// system it reads is the one compiled into the binary.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// errBadID is the answer to an id that is not a positive integer.
var errBadID = errors.New("报告编号必须是正整数")

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadID
	}
	return id, nil
}

func timeText(t time.Time) string { return report.TimeText(t) }
