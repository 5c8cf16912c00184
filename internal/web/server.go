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
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

// IngestFunc reads one uploaded document end to end and stores it,
// returning the ids of its reports (one, or a workbook's, one per
// project's form). The command wires it to a run.Runner and the store. A
// document that cannot be read (or, unless force, is not a report) is an
// *UnreadableError naming the reason; a document stored already is a
// *PresentError naming its reports; any other error is the server's
// failure.
type IngestFunc func(ctx context.Context, name string, data []byte, force bool) (reportIDs []int64, err error)

// Limits of request bodies.
const (
	// DefaultMaxUpload bounds an uploaded report.
	DefaultMaxUpload = 32 << 20
	// maxPlainBody bounds the body of any request that is not an upload.
	maxPlainBody = 64 << 10
	// multipartOverhead is what the multipart framing and the token field
	// may add to an upload's file.
	multipartOverhead = 64 << 10
	// maxPreamble bounds what is read of an upload's body before its token
	// is known.
	maxPreamble = 64 << 10
)

// Options configure a Server.
type Options struct {
	Store  pipeline.Store
	Ingest IngestFunc // nil: uploads are refused
	// Token, when set, must accompany every upload and write request (form
	// field "token", header "Authorization: Bearer …" or "X-Jixiao-Token",
	// or the password of HTTP basic authentication); a browser that gave it
	// once keeps it in a cookie. In an upload's form the token field must
	// come before the file: no more than 64 KB of a body is read before
	// its token is known.
	Token string
	// ReadToken, when set, must accompany every request but /healthz and
	// the static assets, the same ways (a browser asks for it as the
	// password of basic authentication). Token is accepted for reading too.
	ReadToken string
	MaxUpload int64 // bytes; 0 means DefaultMaxUpload
	// MaxUploads bounds the uploads received at once (each holds its file
	// in memory while it is checked and read); 0 means the number of CPUs.
	// One more is answered 429.
	MaxUploads int
	// AllowedHosts are the names (host names or IP addresses, a port
	// ignored) a request's Host header may give; a request for any other
	// is answered 421, so that a page of another site whose name was made
	// to point here (DNS rebinding) reads nothing. /healthz answers any
	// name: load balancers ask by address, and it tells nothing. Empty
	// means any name; see ListenHosts.
	AllowedHosts []string
	Log          *slog.Logger
}

// Server serves the pages, the API and the embedded assets.
type Server struct {
	store     pipeline.Store
	ingest    IngestFunc
	token     string
	readToken string
	maxUpload int64
	slots     chan struct{}       // one token per upload in hand
	hosts     map[string]struct{} // nil: any Host
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
		readToken: opts.ReadToken,
		maxUpload: opts.MaxUpload,
		log:       opts.Log,
		pages:     pages,
		mux:       http.NewServeMux(),
	}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUpload
	}
	if opts.MaxUploads <= 0 {
		opts.MaxUploads = runtime.NumCPU()
	}
	s.slots = make(chan struct{}, opts.MaxUploads)
	for _, h := range opts.AllowedHosts {
		if s.hosts == nil {
			s.hosts = map[string]struct{}{}
		}
		s.hosts[hostName(h)] = struct{}{}
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
	m.HandleFunc("GET /static/letter.css", s.handleLetterCSS)
	m.HandleFunc("GET /healthz", s.handleHealth)
	m.HandleFunc("GET /{$}", s.handleList)
	m.HandleFunc("GET /reports/{id}", s.handleReport)
	m.HandleFunc("GET /reports/{id}/{file}", s.handleReportFile)
	m.HandleFunc("GET /reports/{id}/letter", s.handleLetter)
	m.HandleFunc("GET /reports/{id}/letter.docx", s.handleLetterDOCX)
	m.HandleFunc("POST /reports/{id}/marks", s.handleMark)
	m.HandleFunc("POST /reports/{id}/status", s.handleStatus)
	m.HandleFunc("GET /org", s.handleOrg)
	m.HandleFunc("GET /orgs", s.handleOrgs)
	m.HandleFunc("GET /upload", s.handleUploadForm)
	m.HandleFunc("POST /upload", s.handleUpload)

	m.HandleFunc("GET /api/reports", s.apiReports)
	m.HandleFunc("POST /api/reports", s.apiUpload)
	m.HandleFunc("GET /api/reports/{id}", s.apiReport)
	m.HandleFunc("GET /api/reports/{id}/review", s.apiReview)
	m.HandleFunc("POST /api/reports/{id}/marks", s.apiMark)
	m.HandleFunc("POST /api/reports/{id}/status", s.apiStatus)
	m.HandleFunc("GET /api/reports/{id}/versions", s.apiVersions)
	m.HandleFunc("GET /api/orgs", s.apiOrgs)
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
	if !s.hostAllowed(r) {
		s.fail(w, r, http.StatusMisdirectedRequest, "此服务不以请求中的主机名提供访问（可能是 DNS 重绑定攻击）；如确需使用该名称，请服务管理员用 --allowed-host 添加")
		return
	}
	limit := int64(maxPlainBody)
	if isUpload(r) {
		limit = s.maxUpload + multipartOverhead
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if !s.mayRead(r) {
		s.askForToken(w, r)
		return
	}
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

// hostAllowed reports whether the request names this server in its Host.
func (s *Server) hostAllowed(r *http.Request) bool {
	if s.hosts == nil || r.URL.Path == "/healthz" {
		return true
	}
	_, ok := s.hosts[hostName(r.Host)]
	return ok
}

// hostName is the name in a Host header or a listening address, without
// port, brackets or final dot, lower case, an IP address in its usual form.
func hostName(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// ListenHosts are the names a server listening on addr answers as: the
// loopback names, the address's host (or, when it listens on every
// interface, the machine's addresses and name), and extra, the names
// clients use through a proxy or DNS.
func ListenHosts(addr string, extra []string) []string {
	hosts := append([]string{"localhost", "127.0.0.1", "::1"}, extra...)
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return append(hosts, host)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				hosts = append(hosts, n.IP.String())
			}
		}
	}
	if name, err := os.Hostname(); err == nil {
		hosts = append(hosts, name)
	}
	return hosts
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
	for _, given := range []string{formToken, headerToken(r), cookieToken(r)} {
		if given != "" && same(given, s.token) {
			return true
		}
	}
	return false
}

// mayRead reports whether a request may read: every request when there is
// no read token; else one that carries it (or the write token), but for
// the health check and the static assets.
func (s *Server) mayRead(r *http.Request) bool {
	if s.readToken == "" || r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/static/") {
		return true
	}
	for _, given := range []string{headerToken(r), cookieToken(r)} {
		if given != "" && (same(given, s.readToken) || s.token != "" && same(given, s.token)) {
			return true
		}
	}
	return false
}

// askForToken answers a request without the read token: a browser is
// asked for it as the password of basic authentication.
func (s *Server) askForToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Basic realm="jixiao", charset="UTF-8"`)
	s.fail(w, r, http.StatusUnauthorized, "需要访问令牌：在浏览器弹出的登录框中，用户名任意，密码填写访问令牌")
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// tokenCookie keeps the token a browser gave once, so that each form it
// sends need not carry it again. HttpOnly: no script reads it; SameSite
// Strict: no other site's page sends it.
const tokenCookie = "jixiao_token"

// headerToken is the token a request carries in a header (a bearer token,
// X-Jixiao-Token, or the password of basic authentication), "" when none.
func headerToken(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	if _, pw, ok := r.BasicAuth(); ok {
		return pw
	}
	return strings.TrimSpace(r.Header.Get("X-Jixiao-Token"))
}

func cookieToken(r *http.Request) string {
	if c, err := r.Cookie(tokenCookie); err == nil {
		return c.Value
	}
	return ""
}

// keepToken remembers in the browser a token that was accepted.
func keepToken(w http.ResponseWriter, token string) {
	if token == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// handleHealth answers a load balancer: 200 when the store answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.store.Reports(r.Context(), pipeline.ReportFilter{Limit: 1}); err != nil {
		s.log.Error("health check failed", "err", err)
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
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
