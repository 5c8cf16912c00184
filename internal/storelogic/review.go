package storelogic

import (
	"errors"
	"fmt"

	"github.com/jixiao/jixiao/pipeline"
)

// Errors of review writes every store returns alike.
var (
	ErrNoReport  = errors.New("没有这份报告")
	ErrBadStatus = errors.New("状态无效")
)

// CheckMark refuses a mark no store should keep: one without its finding's
// key, or of an unknown status ("" removes a mark and is allowed).
func CheckMark(m pipeline.Mark) error {
	if m.Key == "" {
		return errors.New("标记缺少发现的标识")
	}
	if m.Status != "" && !pipeline.ValidMark(m.Status) {
		return fmt.Errorf("%w: %q", ErrBadStatus, m.Status)
	}
	return nil
}

// Offered keeps, of the 误报 marks of earlier years (nearest year first),
// the first of each finding key that findings raise again.
func Offered(findings []pipeline.Finding, earlier []pipeline.OfferedMark) []pipeline.OfferedMark {
	raised := map[string]bool{}
	for _, f := range findings {
		raised[pipeline.FindingKey(f)] = true
	}
	out := []pipeline.OfferedMark{}
	for _, m := range earlier {
		if raised[m.Key] {
			out = append(out, m)
			raised[m.Key] = false
		}
	}
	return out
}
