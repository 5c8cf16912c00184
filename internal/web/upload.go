package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/ooxml"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
)

// uploadError is a refused upload: the status to answer and the reason, in
// Chinese, for the reviewer.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// UnreadableError is what an IngestFunc returns for a document that cannot
// be read (the reason is shown to the reviewer); any other error is a
// failure of the server.
type UnreadableError struct{ Reason string }

func (e *UnreadableError) Error() string { return e.Reason }

// PresentError is what an IngestFunc returns for a document whose bytes
// are stored already: the upload is its reports, not a second copy.
type PresentError struct{ ReportIDs []int64 }

func (e *PresentError) Error() string { return "已在库中" }

// upload is a file as received: spooled to a temporary file while it
// holds one of the server's upload slots.
type upload struct {
	name  string
	file  *os.File // nil until the file part is reached
	token string   // the form's token field, "" when absent
	force bool     // store it even when it is no report
	free  func()   // gives the upload slot back; nil when none is held
}

// close removes the temporary file and gives the slot back; every path
// out of an upload passes here.
func (up *upload) close() {
	if up.file != nil {
		up.file.Close()
		os.Remove(up.file.Name())
	}
	if up.free != nil {
		up.free()
	}
}

// received is an upload taken in: its reports (never none), and whether
// the same bytes were stored already.
type received struct {
	ids     []int64
	present bool
}

type uploadData struct {
	TokenRequired bool // and the browser has not given it yet
	Limit         int64
	LimitText     string
	Message       string
	MessageClass  string
}

func (s *Server) uploadForm(r *http.Request, msg, class string) pageData {
	return pageData{Title: "上传报告", Nav: "upload", Data: uploadData{
		TokenRequired: !s.authorized(r, ""), Limit: s.maxUpload, LimitText: sizeText(s.maxUpload),
		Message: msg, MessageClass: class,
	}}
}

func (s *Server) handleUploadForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "upload", s.uploadForm(r, "", ""))
}

// handleUpload ingests the posted file and sends the browser to its report
// (a workbook's first, whose page lists the others); a refusal shows the
// form again with the reason.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	got, err := s.receive(w, r)
	if err != nil {
		var ue *uploadError
		if !errors.As(err, &ue) {
			s.internal(w, r, err)
			return
		}
		s.render(w, ue.status, "upload", s.uploadForm(r, ue.msg, "bad"))
		return
	}
	flag := "uploaded=1"
	if got.present {
		flag = "present=1"
	}
	http.Redirect(w, r, reportURL(got.ids[0])+"?"+flag, http.StatusSeeOther)
}

// receive checks a write request, reads its file and ingests it. Every
// refusal is an *uploadError.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (received, error) {
	if !sameOrigin(r) {
		return received{}, &uploadError{http.StatusForbidden, "拒绝来自其他网站的上传请求"}
	}
	// A token sent in a header is checked before the body is read.
	if headerToken(r) != "" && !s.authorized(r, "") {
		return received{}, &uploadError{http.StatusUnauthorized, "访问令牌不正确"}
	}
	up, err := s.readUpload(w, r)
	if err != nil {
		return received{}, err
	}
	defer up.close()
	if s.token != "" && same(up.token, s.token) {
		keepToken(w, up.token)
	}
	data, err := os.ReadFile(up.file.Name())
	if err != nil {
		return received{}, fmt.Errorf("upload %s: read the spooled file: %w", up.name, err)
	}
	if err := checkContent(data); err != nil {
		return received{}, err
	}
	if s.ingest == nil {
		return received{}, &uploadError{http.StatusServiceUnavailable, "本服务未启用上传"}
	}
	// The request's context: a client that goes away stops the reading.
	return s.ingestUpload(r.Context(), up, data)
}

// ingestUpload hands an accepted file to the pipeline and says what became
// of it.
func (s *Server) ingestUpload(ctx context.Context, up *upload, data []byte) (received, error) {
	ids, err := s.ingest(ctx, up.name, data, up.force)
	var unreadable *UnreadableError
	var present *PresentError
	switch {
	case errors.As(err, &unreadable):
		s.log.Warn("upload not readable", "name", up.name, "reason", unreadable.Reason)
		return received{}, &uploadError{http.StatusUnprocessableEntity, "无法读取“" + up.name + "”：" + unreadable.Reason}
	case errors.As(err, &present):
		s.log.Info("upload already stored", "name", up.name, "reports", present.ReportIDs)
		ids, err = present.ReportIDs, nil
	case err != nil && ctx.Err() != nil:
		s.log.Info("upload abandoned by the client", "name", up.name)
		return received{}, &uploadError{http.StatusServiceUnavailable, "上传已取消：连接已断开"}
	case err != nil:
		return received{}, err
	}
	if len(ids) == 0 {
		return received{}, fmt.Errorf("upload %s: stored without a report", up.name)
	}
	if present == nil {
		s.log.Info("upload ingested", "name", up.name, "reports", ids)
	}
	return received{ids: ids, present: present != nil}, nil
}

// readUpload streams the multipart body. Until the token is known (from a
// header or the cookie, or from the form's token field, which must come
// before the file) at most maxPreamble bytes are read, so a request
// without the token costs the server no more than that. The "file" part
// is then spooled to a temporary file up to the size limit, holding one
// of the upload slots; the "token" and "force" parts are read up to a few
// hundred bytes and other parts are skipped. On success the caller closes
// the upload.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (_ *upload, err error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, &uploadError{http.StatusUnsupportedMediaType, "请以 multipart/form-data 表单上传文件"}
	}
	body := &preamble{r: r.Body, left: maxPreamble, open: s.authorized(r, "")}
	mr := multipart.NewReader(body, params["boundary"])
	up := &upload{}
	defer func() {
		if err != nil {
			up.close()
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err, s.maxUpload)
		}
		if err := s.readPart(w, r, part, up, body); err != nil {
			return nil, err
		}
		part.Close()
	}
	if up.file == nil {
		return nil, &uploadError{http.StatusBadRequest, "没有收到文件（表单字段 file）"}
	}
	return up, nil
}

// readPart takes in one part of an upload's form.
func (s *Server) readPart(w http.ResponseWriter, r *http.Request, part *multipart.Part, up *upload, body *preamble) error {
	switch part.FormName() {
	case "file":
		if up.file != nil {
			return &uploadError{http.StatusBadRequest, "一次只能上传一个文件"}
		}
		if !body.open {
			return &uploadError{http.StatusUnauthorized, "上传需要正确的访问令牌（表单中的令牌字段须在文件之前）"}
		}
		free, err := s.takeSlot(w)
		if err != nil {
			return err
		}
		up.free, up.name = free, cleanName(part.FileName())
		return s.spool(part, up)
	case "token", "force":
		b, err := io.ReadAll(io.LimitReader(part, 512))
		if err != nil {
			return bodyError(err, s.maxUpload)
		}
		if part.FormName() == "force" {
			up.force = strings.TrimSpace(string(b)) != ""
			return nil
		}
		up.token = strings.TrimSpace(string(b))
		if !s.authorized(r, up.token) {
			return &uploadError{http.StatusUnauthorized, "上传需要正确的访问令牌"}
		}
		body.open = true
	}
	return nil
}

// spool copies the file part to a temporary file, refusing it beyond the
// size limit as soon as the limit is passed.
func (s *Server) spool(part io.Reader, up *upload) error {
	f, err := os.CreateTemp("", "jixiao-upload-*")
	if err != nil {
		return fmt.Errorf("upload: temporary file: %w", err)
	}
	up.file = f
	// Through a plain writer: File.ReadFrom would wrap the request's read
	// errors as the file's.
	n, err := io.Copy(struct{ io.Writer }{f}, io.LimitReader(part, s.maxUpload+1))
	var disk *fs.PathError
	switch {
	case errors.As(err, &disk): // the server's disk, not the request
		return fmt.Errorf("upload: spool: %w", err)
	case err != nil:
		return bodyError(err, s.maxUpload)
	case n > s.maxUpload:
		return tooLarge(s.maxUpload)
	}
	return nil
}

// takeSlot holds one of the upload slots, or refuses the upload when all
// are taken: each upload in hand holds its file in memory while it is
// read, so their number bounds the memory uploads take.
func (s *Server) takeSlot(w http.ResponseWriter) (func(), error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
		w.Header().Set("Retry-After", "10")
		return nil, &uploadError{http.StatusTooManyRequests,
			fmt.Sprintf("同时进行的上传已达上限（%d 个），请稍后再试", cap(s.slots))}
	}
}

// errNoToken is a body read past maxPreamble before the token was given.
var errNoToken = errors.New("token not given before the file")

// preamble is a request body that, until opened, yields at most left
// more bytes.
type preamble struct {
	r    io.Reader
	left int64
	open bool
}

func (p *preamble) Read(b []byte) (int, error) {
	if p.open {
		return p.r.Read(b)
	}
	if p.left <= 0 {
		return 0, errNoToken
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	return n, err
}

// bodyError turns a read error into a refusal: over the body limit is 413,
// anything else a malformed request.
func bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(limit)
	}
	if errors.Is(err, errNoToken) {
		return &uploadError{http.StatusUnauthorized, "上传需要正确的访问令牌（表单中的令牌字段须在文件之前）"}
	}
	return &uploadError{http.StatusBadRequest, "上传的表单无法读取：" + err.Error()}
}

func tooLarge(limit int64) error {
	return &uploadError{http.StatusRequestEntityTooLarge, "文件超过大小上限 " + sizeText(limit)}
}

// checkContent accepts a PDF, a Word or Excel file (.docx .xlsx, and the
// old .doc .xls .wps), a page image (a scan, read by OCR) or a text file,
// judged by the bytes, never by the name or the declared type. What is wrong inside an accepted kind (a password,
// a zip bomb) is the pipeline's to say, in its own clear words.
func checkContent(data []byte) error {
	if len(data) == 0 {
		return &uploadError{http.StatusBadRequest, "文件是空的"}
	}
	switch {
	case textload.IsPDF(data), office.IsOLE2(data), raster.Format(data) != "":
		return nil
	case ooxml.IsZip(data):
		pkg, err := ooxml.Open(data)
		if err == nil && pkg.Kind() == ooxml.Unknown {
			err = ooxml.ErrNotOffice
		}
		if err != nil {
			return &uploadError{http.StatusUnsupportedMediaType, "无法接受：" + err.Error()}
		}
		return nil
	}
	if _, _, err := textload.Decode(data); err != nil {
		return &uploadError{http.StatusUnsupportedMediaType, "只接受 PDF、Word、Excel、扫描图像（PNG、JPEG、TIFF）或文本文件（按内容判断）：" + textErrorZH(err)}
	}
	return nil
}

func textErrorZH(err error) string {
	switch {
	case errors.Is(err, textload.ErrEmpty):
		return "文件没有内容"
	case errors.Is(err, textload.ErrBinary):
		return "这是二进制文件，不是文本"
	case errors.Is(err, textload.ErrUnknown):
		return "无法识别文字编码（支持 UTF-8、UTF-16、GB18030）"
	}
	return err.Error()
}

// cleanName keeps an uploaded file's base name printable and short. It is
// only a label: the store is content-addressed and no file is created
// under this name.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unprintable(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if utf8.RuneCountInString(name) > 120 {
		name = string([]rune(name)[:120])
	}
	if strings.Trim(name, ". ") == "" {
		return "上传的报告"
	}
	return name
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}
