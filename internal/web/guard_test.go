package web

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/jixiao/jixiao/pipeline"
)

// countingBody is a request body that counts the bytes the server reads.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// bigUpload is an 8 MB upload (a quarter of the default limit) with the
// token field before the file, after it, or not at all ("").
func bigUpload(t *testing.T, path, token string, tokenAfterFile bool) (*http.Request, *countingBody) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" && !tokenAfterFile {
		mw.WriteField("token", token)
	}
	fw, err := mw.CreateFormFile("file", "big.txt")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(bytes.Repeat([]byte("绩效自评报告正文。\n"), 8<<20/28))
	if token != "" && tokenAfterFile {
		mw.WriteField("token", token)
	}
	mw.Close()
	body := &countingBody{r: &buf}
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req, body
}

// An upload without the right token is refused having read no more than
// the preamble of its body, however the token is (not) given.
func TestUploadTokenCheckedBeforeTheBody(t *testing.T) {
	cases := []struct {
		name, path, formToken, cookie, bearer string
		tokenAfterFile                        bool
	}{
		{name: "no token", path: "/upload"},
		{name: "wrong form token", path: "/upload", formToken: "guess"},
		{name: "right form token after the file", path: "/upload", formToken: "s3cret", tokenAfterFile: true},
		{name: "stale cookie", path: "/upload", cookie: "old"},
		{name: "wrong bearer", path: "/api/reports", bearer: "guess"},
		{name: "api without token", path: "/api/reports"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ri := newUploadServer(t, Options{Token: "s3cret"})
			req, body := bigUpload(t, c.path, c.formToken, c.tokenAfterFile)
			if c.cookie != "" {
				req.AddCookie(&http.Cookie{Name: tokenCookie, Value: c.cookie})
			}
			if c.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+c.bearer)
			}
			res, text := do(t, s, req)
			wantStatus(t, res, text, http.StatusUnauthorized)
			wantContains(t, text, "令牌")
			if body.n > maxPreamble+16<<10 {
				t.Errorf("the server read %d bytes of a refused upload", body.n)
			}
			if len(ri.names) != 0 {
				t.Error("a refused upload was ingested")
			}
		})
	}
	// The browser's form, token first, is still taken; so is the cookie.
	s, ri := newUploadServer(t, Options{Token: "s3cret"})
	_, form := get(t, s, "/upload")
	if tok, file := strings.Index(form, `name="token"`), strings.Index(form, `name="file"`); tok < 0 || tok > file {
		t.Error("the upload form does not send its token field before the file")
	}
	req, _ := bigUpload(t, "/upload", "s3cret", false)
	res, text := do(t, s, req)
	wantStatus(t, res, text, http.StatusSeeOther)
	req, _ = bigUpload(t, "/upload", "", false)
	req.AddCookie(res.Cookies()[0])
	res, text = do(t, s, req)
	wantStatus(t, res, text, http.StatusSeeOther)
	if len(ri.names) != 2 {
		t.Errorf("ingested %q", ri.names)
	}
}

// More uploads at once than the slots are answered 429 with Retry-After;
// a slot is given back however its upload ends.
func TestUploadSlots(t *testing.T) {
	st := newFakeStore()
	ri := &recordingIngest{t: t, st: st}
	entered, release := make(chan struct{}), make(chan struct{})
	blocking := func(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
		if name == "slow.txt" {
			entered <- struct{}{}
			<-release
		}
		return ri.ingest(ctx, name, data, force)
	}
	s, err := New(Options{Store: st, Ingest: blocking, MaxUploads: 1, MaxUpload: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	data := readTestdata(t, "dev-002.txt")
	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, uploadRequest(t, "/upload", "slow.txt", data, ""))
		done <- rec.Code
	}()
	<-entered
	res, body := do(t, s, uploadRequest(t, "/upload", "second.txt", data, ""))
	wantStatus(t, res, body, http.StatusTooManyRequests)
	wantContains(t, body, "同时进行的上传已达上限（1 个），请稍后再试")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	res, body = do(t, s, uploadRequest(t, "/api/reports", "second.txt", data, ""))
	wantStatus(t, res, body, http.StatusTooManyRequests)
	wantContains(t, body, `"error"`)
	close(release)
	if code := <-done; code != http.StatusSeeOther {
		t.Fatalf("the first upload: %d", code)
	}
	// Refused for its size, an upload gives its slot back too.
	res, body = do(t, s, uploadRequest(t, "/upload", "big.txt", bytes.Repeat([]byte("很"), 8<<10), ""))
	wantStatus(t, res, body, http.StatusRequestEntityTooLarge)
	res, body = do(t, s, uploadRequest(t, "/upload", "third.txt", []byte("绩效自评报告。\n"), ""))
	wantStatus(t, res, body, http.StatusSeeOther)
}

// An upload is spooled to a temporary file, removed however the upload
// ends.
func TestUploadLeavesNoTemporaryFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, ri := newUploadServer(t, Options{MaxUpload: 16 << 10, Token: "s3cret"})
	seen := 0
	spooled := func(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
		entries, _ := os.ReadDir(tmp)
		seen = len(entries)
		return ri.ingest(ctx, name, data, force)
	}
	s.ingest = spooled
	text := readTestdata(t, "dev-002.txt")
	for _, c := range []struct {
		name   string
		data   []byte
		token  string
		status int
	}{
		{"a.txt", text, "s3cret", http.StatusSeeOther},
		{"big.txt", bytes.Repeat([]byte("很"), 8<<10), "s3cret", http.StatusRequestEntityTooLarge},
		{"a.gif", []byte("GIF89a\x01\x00\x01\x00"), "s3cret", http.StatusUnsupportedMediaType},
		{"b.txt", text, "guess", http.StatusUnauthorized},
	} {
		res, body := do(t, s, uploadRequest(t, "/upload", c.name, c.data, c.token))
		wantStatus(t, res, body, c.status)
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("%s: %d files left in the temporary directory", c.name, len(entries))
		}
	}
	if seen != 1 {
		t.Errorf("%d files in the temporary directory while the upload was read, want its spool", seen)
	}
}

// A request for a name this server is not (DNS rebinding: another site's
// name pointed at 127.0.0.1) is answered 421; /healthz answers any name.
func TestHostHeaderChecked(t *testing.T) {
	s, _ := newTestServer(t, Options{AllowedHosts: ListenHosts("127.0.0.1:0", []string{"jixiao.example.org"})}, turpan...)
	srv := httptest.NewServer(s)
	defer srv.Close()
	port := strings.TrimPrefix(srv.URL, "http://127.0.0.1")
	cases := []struct {
		host, path string
		status     int
	}{
		{"127.0.0.1" + port, "/", 200},
		{"localhost" + port, "/", 200},
		{"[::1]" + port, "/reports/3", 200},
		{"JIXIAO.example.org.:8443", "/api/reports", 200},
		{"jixiao.example.org", "/", 200},
		{"evil.example" + port, "/", 421},
		{"evil.example", "/api/reports", 421},
		{"127.0.0.1.evil.example" + port, "/reports/3/original", 421},
		{"evil.example" + port, "/healthz", 200},
	}
	for _, c := range cases {
		req, err := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = c.host
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("Host %s %s: %d, want %d", c.host, c.path, res.StatusCode, c.status)
		}
		if c.status == 421 && !strings.Contains(string(body), "--allowed-host") {
			t.Errorf("Host %s: 421 without the reason: %.300s", c.host, body)
		}
	}
}

// Listening on every interface, the server answers as the machine's
// loopback and own addresses and the names it is given.
func TestListenHosts(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "[::]:8080"} {
		hosts := ListenHosts(addr, []string{"jixiao.example.org"})
		for _, want := range []string{"127.0.0.1", "localhost", "::1", "jixiao.example.org"} {
			if !contains(hosts, want) {
				t.Errorf("%s: %q lacks %s", addr, hosts, want)
			}
		}
		if contains(hosts, "0.0.0.0") || contains(hosts, "") || contains(hosts, "::") {
			t.Errorf("%s: %q names the unspecified address", addr, hosts)
		}
	}
	if hosts := ListenHosts("10.1.2.3:80", nil); !contains(hosts, "10.1.2.3") || len(hosts) != 4 {
		t.Errorf("10.1.2.3:80: %q", hosts)
	}
}

// Download names keep no bidi override or other invisible character: a
// U+202E in a stored name would show "报告\u202Efdp.exe" as "报告exe.pdf".
func TestDownloadNamesHaveNoBidiControls(t *testing.T) {
	st := newFakeStore()
	data := readTestdata(t, "dev-002.txt")
	fx := turpan[2]
	fx.org = "吐鲁番市\u202e残疾人联合会\u2066"
	ext := fx.extraction(t, data)
	doc := pipeline.Document{SHA256: ext.Source.SHA256, Name: "报告\u202efdp.exe\u200f\u2028.txt", Format: "text", Size: int64(len(data))}
	id, err := st.SaveReport(context.Background(), doc, data, ext)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"original", "consistency.json", "consistency.xlsx", "letter.docx"} {
		res, body := get(t, s, reportURL(id)+"/"+file)
		wantStatus(t, res, body, http.StatusOK)
		_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
		if err != nil {
			t.Fatal(err)
		}
		if name := params["filename"]; strings.IndexFunc(name, unprintableForTest) >= 0 || name == "" {
			t.Errorf("%s: file name %q", file, name)
		}
	}

	// An upload's name is cleaned as it comes in.
	up, ri := newUploadServer(t, Options{})
	res, body := do(t, up, uploadRequest(t, "/upload", "a\u202egpj.txt", data, ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	if len(ri.names) != 1 || ri.names[0] != "agpj.txt" {
		t.Errorf("uploaded name %q", ri.names)
	}
}

func unprintableForTest(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

// The upload's reading runs under the request's context: a client that
// goes away cancels it, and the server does not count it as its failure.
func TestUploadIngestsUnderTheRequestContext(t *testing.T) {
	st := newFakeStore()
	var seen error
	gone := func(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
		seen = ctx.Err()
		return nil, ctx.Err()
	}
	s, err := New(Options{Store: st, Ingest: gone})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := uploadRequest(t, "/upload", "a.txt", readTestdata(t, "dev-002.txt"), "").WithContext(ctx)
	res, body := do(t, s, req)
	if seen == nil {
		t.Fatal("the upload was read under a context the client's leaving does not end")
	}
	wantStatus(t, res, body, http.StatusServiceUnavailable)
	wantContains(t, body, "上传已取消")
}
