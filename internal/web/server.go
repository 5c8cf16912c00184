// Package web is the reviewers' web interface: the reports list, a report
// with its evidence highlighted, an organisation's year-over-year charts, an
// upload form, and a JSON API mirroring the pages. Every page, style sheet,
// script and chart comes from the binary (templates and assets embedded,
// charts drawn as SVG on the server), so it works on a network with no way
// out. Data comes only through pipeline.Store: no request path ever names a
// file.
package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

// IngestFunc reads one uploaded document end to end and stores it, returning
// the id of its report. The command wires it to a run.Runner and the store.
// A document that cannot be read is an *UnreadableError naming the reason;
// any other error is the server's failure.
type IngestFunc func(ctx context.Context, name string, data []byte) (reportID int64, err error)

// Limits of request bodies.
const (
	// DefaultMaxUpload bounds an uploaded report.
	DefaultMaxUpload = 32 << 20
	// maxPlainBody bounds the body of any request that is not an upload.
	maxPlainBody = 64 << 10
	// multipartOverhead is what the multipart framing and the token field
	// may add to an upload's file.
	multipartOverhead = 64 << 10
)

// Options configure a Server.
type Options struct {
	Store  pipeline.Store
	Ingest IngestFunc // nil: uploads are refused
	// Token, when set, must accompany every upload and write request (form
	// field "token", header "Authorization: Bearer …" or "X-Jixiao-Token").
	Token     string
	MaxUpload int64 // bytes; 0 means DefaultMaxUpload
	Log       *slog.Logger
}

// Server serves the pages, the API and the embedded assets.
type Server struct {
	store     pipeline.Store
	ingest    IngestFunc
	token     string
	maxUpload int64
	log       *slog.Logger
	pages     *pageSet
	mux       *http.ServeMux
}

// New builds a server. Store is required.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("web: no store")
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:     opts.Store,
		ingest:    opts.Ingest,
		token:     opts.Token,
		maxUpload: opts.MaxUpload,
		log:       opts.Log,
		pages:     pages,
		mux:       http.NewServeMux(),
	}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUpload
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	m.HandleFunc("GET /{$}", s.handleList)
	m.HandleFunc("GET /reports/{id}", s.handleReport)
	m.HandleFunc("GET /reports/{id}/{file}", s.handleReportFile)
	m.HandleFunc("GET /org", s.handleOrg)
	m.HandleFunc("GET /upload", s.handleUploadForm)
	m.HandleFunc("POST /upload", s.handleUpload)

	m.HandleFunc("GET /api/reports", s.apiReports)
	m.HandleFunc("POST /api/reports", s.apiUpload)
	m.HandleFunc("GET /api/reports/{id}", s.apiReport)
	m.HandleFunc("GET /api/trends", s.apiTrends)
	m.HandleFunc("GET /api/problems/recurring", s.apiRecurring)
	m.HandleFunc("/api/", s.apiNotFound)
	m.HandleFunc("/", s.pageNotFound)
}

// ServeHTTP applies what holds for every response: security headers, a
// bounded request body, and recovery from a panic in a handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Everything the pages need comes from this server; nothing inline runs.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "+
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	limit := int64(maxPlainBody)
	if isUpload(r) {
		limit = s.maxUpload + multipartOverhead
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("panic in handler", "path", r.URL.Path, "panic", fmt.Sprint(p))
			s.fail(w, r, http.StatusInternalServerError, "服务器内部错误")
		}
	}()
	s.mux.ServeHTTP(w, r)
}

func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/upload" || r.URL.Path == "/api/reports")
}

// fail answers with an error in the form the route speaks: JSON under
// /api/, an HTML page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, status, msg)
		return
	}
	s.renderError(w, status, msg)
}

// internal logs a store error and answers 500 without its details.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	s.fail(w, r, http.StatusInternalServerError, "服务器内部错误，请查看服务日志")
}

// authorized reports whether a write request carries the token. formToken
// is the token field of a submitted form, "" when there is none.
func (s *Server) authorized(r *http.Request, formToken string) bool {
	if s.token == "" {
		return true
	}
	given := formToken
	if v := headerToken(r); v != "" {
		given = v
	}
	return subtle.ConstantTimeCompare([]byte(given), []byte(s.token)) == 1
}

// headerToken is the token a request carries in a header, "" when none.
func headerToken(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(r.Header.Get("X-Jixiao-Token"))
}

// sameOrigin refuses a write request sent by another site's page. A
// browser says where a request comes from in Sec-Fetch-Site (and names the
// page's origin in Origin); clients that are not browsers send neither.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	return origin == "" || origin == "http://"+r.Host || origin == "https://"+r.Host
}
