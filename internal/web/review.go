package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/letter"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// What a reviewer records — a finding's mark, a report's status — is
// written by plain HTML forms (no script needed) and by the JSON API. Both
// take the write token as uploads do. There are no accounts: the reviewer
// names themself in the form, and the browser keeps the name in a cookie
// to fill the next form in.

const reviewerCookie = "jixiao_reviewer"

// Bounds of what a reviewer types.
const (
	maxComment  = 2000 // characters
	maxReviewer = 40
)

func reviewerOf(r *http.Request) string {
	if c, err := r.Cookie(reviewerCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			return v
		}
	}
	return ""
}

func keepReviewer(w http.ResponseWriter, name string) {
	if name == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: reviewerCookie, Value: url.QueryEscape(name), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 365 * 24 * 3600})
}

// reviewInput is a mark or a status as a form or a JSON body gives it.
type reviewInput struct {
	Key      string `json:"finding_key"`
	Status   string `json:"status"`
	Comment  string `json:"comment"`
	Reviewer string `json:"reviewer"`
	Token    string `json:"-"`
}

func (in *reviewInput) check() error {
	in.Comment, in.Reviewer = strings.TrimSpace(in.Comment), strings.TrimSpace(in.Reviewer)
	if utf8.RuneCountInString(in.Comment) > maxComment {
		return errors.New("审核意见过长（最多 " + strconv.Itoa(maxComment) + " 字）")
	}
	if utf8.RuneCountInString(in.Reviewer) > maxReviewer {
		return errors.New("审核人姓名过长")
	}
	return nil
}

// formInput reads a review form.
func formInput(r *http.Request) (reviewInput, error) {
	if err := r.ParseForm(); err != nil {
		return reviewInput{}, errors.New("表单无法读取")
	}
	f := r.PostForm
	in := reviewInput{Key: f.Get("key"), Status: f.Get("status"), Comment: f.Get("comment"),
		Reviewer: f.Get("reviewer"), Token: strings.TrimSpace(f.Get("token"))}
	return in, in.check()
}

// jsonInput reads a review request's JSON body.
func jsonInput(r *http.Request) (reviewInput, error) {
	var in reviewInput
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, errors.New("请求体应为 JSON 对象：" + err.Error())
	}
	if in.Reviewer == "" {
		in.Reviewer = r.Header.Get("X-Jixiao-Reviewer")
	}
	return in, in.check()
}

// writeAllowed refuses a write another site's page sent or one without the
// token; it answers and returns false.
func (s *Server) writeAllowed(w http.ResponseWriter, r *http.Request, formToken string) bool {
	if !sameOrigin(r) {
		s.fail(w, r, http.StatusForbidden, "拒绝来自其他网站的请求")
		return false
	}
	if !s.authorized(r, formToken) {
		s.fail(w, r, http.StatusUnauthorized, "记录审核意见需要正确的访问令牌")
		return false
	}
	keepToken(w, formToken)
	return true
}

// setMark records a mark on a finding of the report's latest version.
func (s *Server) setMark(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (pipeline.Mark, error) {
	status, ok := report.ParseMark(in.Status)
	if !ok {
		return pipeline.Mark{}, badInput("标记只能是 已核实、误报、已整改，或清除")
	}
	for _, f := range rep.Extraction.Findings {
		if pipeline.FindingKey(f) != in.Key {
			continue
		}
		m := pipeline.MarkOf(rep.ID, f)
		m.Status, m.Comment, m.Reviewer = status, in.Comment, in.Reviewer
		if err := s.store.SetMark(ctx, m); err != nil {
			return m, err
		}
		return m, nil
	}
	return pipeline.Mark{}, badInput("报告中没有这项发现（可能已重新提取）：" + in.Key)
}

func (s *Server) setStatus(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (pipeline.ReviewState, error) {
	status, ok := report.ParseReviewStatus(in.Status)
	if !ok {
		return pipeline.ReviewState{}, badInput("状态只能是 待审、审核中、已审 或 退回")
	}
	st := pipeline.ReviewState{ReportID: rep.ID, Status: status, Comment: in.Comment, Reviewer: in.Reviewer}
	if err := s.store.SetReviewState(ctx, st); err != nil {
		return st, err
	}
	return s.store.ReviewState(ctx, rep.ID)
}

// inputError is a review write refused for what it asks.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badInput(msg string) error { return &inputError{msg} }

// answerWriteError answers a refused or failed write.
func (s *Server) answerWriteError(w http.ResponseWriter, r *http.Request, err error) {
	var ie *inputError
	if errors.As(err, &ie) || errors.Is(err, storelogic.ErrBadStatus) {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	s.internal(w, r, err)
}

// handleMark is the form of a finding's mark; it sends the browser back to
// the finding.
func (s *Server) handleMark(w http.ResponseWriter, r *http.Request) {
	s.reviewWrite(w, r, false, func(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (any, error) {
		_, err := s.setMark(ctx, rep, in)
		return "?saved=mark#" + keyAnchor(in.Key), err
	})
}

// handleStatus is the form of a report's status.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	s.reviewWrite(w, r, false, func(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (any, error) {
		_, err := s.setStatus(ctx, rep, in)
		return "?saved=status#review", err
	})
}

// reviewWrite takes in a review write, a form or (asJSON) a JSON body: it
// reads and checks it, records it with write, and answers with what write
// returns — for a form, where on the report's page to send the browser
// back to (keeping the reviewer's name for the next form); for JSON, the
// body of the answer.
func (s *Server) reviewWrite(w http.ResponseWriter, r *http.Request, asJSON bool,
	write func(context.Context, *pipeline.StoredReport, reviewInput) (any, error)) {
	read := formInput
	if asJSON {
		read = jsonInput
	}
	in, err := read(r)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if !s.writeAllowed(w, r, in.Token) {
		return
	}
	rep := s.loadReport(w, r)
	if rep == nil {
		return
	}
	answer, err := write(r.Context(), rep, in)
	if err != nil {
		s.answerWriteError(w, r, err)
		return
	}
	if asJSON {
		writeJSON(w, http.StatusOK, answer)
		return
	}
	keepReviewer(w, in.Reviewer)
	http.Redirect(w, r, reportURL(rep.ID)+answer.(string), http.StatusSeeOther)
}

func reportURL(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) }

// keyAnchor is the element id of a finding on the report page, by key, so
// that it stays the same however the list is numbered.
func keyAnchor(key string) string { return "k-" + key }

// reviewResponse is GET /api/reports/{id}/review.
type reviewResponse struct {
	ReportID int64                    `json:"report_id"`
	State    pipeline.ReviewState     `json:"state"`
	Findings []report.ReviewedFinding `json:"findings"`
	Offered  []pipeline.OfferedMark   `json:"offered"`
}

// loadReviewed is loadReport with what reviewers recorded on the report.
func (s *Server) loadReviewed(w http.ResponseWriter, r *http.Request) (*pipeline.StoredReport, *report.Review) {
	rep := s.loadReport(w, r)
	if rep == nil {
		return nil, nil
	}
	rev, err := report.LoadReview(r.Context(), s.store, rep.ID)
	if err != nil {
		s.internal(w, r, err)
		return nil, nil
	}
	return rep, rev
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	rep, rev := s.loadReviewed(w, r)
	if rep == nil {
		return
	}
	offered, err := s.store.OfferedMarks(r.Context(), rep.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reviewResponse{ReportID: rep.ID, State: rev.State,
		Findings: rev.ReviewedFindings(rep.Extraction.Findings), Offered: offered})
}

// apiMark records a mark: {"finding_key", "status" ("" clears), "comment",
// "reviewer"}; it answers with the mark as stored.
func (s *Server) apiMark(w http.ResponseWriter, r *http.Request) {
	s.reviewWrite(w, r, true, func(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (any, error) {
		answer := map[string]any{"finding_key": in.Key, "mark": nil}
		m, err := s.setMark(ctx, rep, in)
		if err != nil || m.Status == "" {
			return answer, err
		}
		marks, err := s.store.Marks(ctx, rep.ID)
		for _, stored := range marks {
			if stored.Key == m.Key {
				answer["mark"] = stored
			}
		}
		return answer, err
	})
}

// apiStatus records a report's status: {"status", "comment", "reviewer"}.
func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	s.reviewWrite(w, r, true, func(ctx context.Context, rep *pipeline.StoredReport, in reviewInput) (any, error) {
		return s.setStatus(ctx, rep, in)
	})
}

func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) {
	rep := s.loadReport(w, r)
	if rep == nil {
		return
	}
	vs, err := s.store.Versions(r.Context(), rep.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"report_id": rep.ID, "versions": vs})
}

// theLetter is the review letter of the report the path names.
func (s *Server) theLetter(w http.ResponseWriter, r *http.Request) *letter.Letter {
	rep, rev := s.loadReviewed(w, r)
	if rep == nil {
		return nil
	}
	return letter.New(rep, rev, "", time.Now())
}

// handleLetter is the letter as a page to print (or save as PDF).
func (s *Server) handleLetter(w http.ResponseWriter, r *http.Request) {
	l := s.theLetter(w, r)
	if l == nil {
		return
	}
	var buf bytes.Buffer
	if err := l.HTML(&buf, "/static/letter.css"); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// handleLetterDOCX is the letter as a Word document to edit and send.
func (s *Server) handleLetterDOCX(w http.ResponseWriter, r *http.Request) {
	l := s.theLetter(w, r)
	if l == nil {
		return
	}
	var buf bytes.Buffer
	if err := l.DOCX(&buf); err != nil {
		s.internal(w, r, err)
		return
	}
	sendAttachment(w, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", l.FileName("docx"), buf.Bytes())
}

func (s *Server) handleLetterCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(letter.CSS()))
}
