package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
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

// upload is a file as received.
type upload struct {
	name  string
	data  []byte
	token string // the form's token field, "" when absent
	force bool   // store it even when it is no report
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
	up, err := s.readUpload(r)
	if err != nil {
		return received{}, err
	}
	if !s.authorized(r, up.token) {
		return received{}, &uploadError{http.StatusUnauthorized, "上传需要正确的访问令牌"}
	}
	if up.token != "" {
		keepToken(w, up.token)
	}
	if err := checkContent(up.data); err != nil {
		return received{}, err
	}
	if s.ingest == nil {
		return received{}, &uploadError{http.StatusServiceUnavailable, "本服务未启用上传"}
	}
	ids, err := s.ingest(r.Context(), up.name, up.data, up.force)
	var unreadable *UnreadableError
	var present *PresentError
	switch {
	case errors.As(err, &unreadable):
		s.log.Warn("upload not readable", "name", up.name, "reason", unreadable.Reason)
		return received{}, &uploadError{http.StatusUnprocessableEntity, "无法读取“" + up.name + "”：" + unreadable.Reason}
	case errors.As(err, &present):
		s.log.Info("upload already stored", "name", up.name, "reports", present.ReportIDs)
		ids, err = present.ReportIDs, nil
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

// readUpload streams the multipart body: the "file" part is read up to the
// size limit and the "token" part up to a few hundred bytes. Nothing is
// spooled to disk and other parts are skipped.
func (s *Server) readUpload(r *http.Request) (*upload, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, &uploadError{http.StatusUnsupportedMediaType, "请以 multipart/form-data 表单上传文件"}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &uploadError{http.StatusBadRequest, "上传的表单无法读取"}
	}
	up := &upload{}
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err, s.maxUpload)
		}
		switch part.FormName() {
		case "file":
			if found {
				return nil, &uploadError{http.StatusBadRequest, "一次只能上传一个文件"}
			}
			found = true
			up.name = cleanName(part.FileName())
			up.data, err = io.ReadAll(io.LimitReader(part, s.maxUpload+1))
			if err != nil {
				return nil, bodyError(err, s.maxUpload)
			}
			if int64(len(up.data)) > s.maxUpload {
				return nil, tooLarge(s.maxUpload)
			}
		case "token", "force":
			b, err := io.ReadAll(io.LimitReader(part, 512))
			if err != nil {
				return nil, bodyError(err, s.maxUpload)
			}
			if part.FormName() == "force" {
				up.force = strings.TrimSpace(string(b)) != ""
			} else {
				up.token = strings.TrimSpace(string(b))
			}
		}
		part.Close()
	}
	if !found {
		return nil, &uploadError{http.StatusBadRequest, "没有收到文件（表单字段 file）"}
	}
	return up, nil
}

// bodyError turns a read error into a refusal: over the body limit is 413,
// anything else a malformed request.
func bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(limit)
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
		if unicode.IsControl(r) || r == utf8.RuneError {
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
