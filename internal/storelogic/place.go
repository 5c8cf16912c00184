package storelogic

import (
	"context"
	"errors"
	"fmt"

	"github.com/jixiao/jixiao/pipeline"
)

// Place is where a report stands in its document: a workbook's sheet and,
// when the sheet holds several forms, the form's place on it; "" and 0 for
// a document of one report. A document's reports are kept by place, so a
// report read again finds its stored id.
type Place struct {
	Sheet string `db:"sheet"`
	Form  int    `db:"form"`
}

// PlaceOf is the place of a report in its document.
func PlaceOf(ext *pipeline.Extraction) Place {
	return Place{Sheet: ext.Source.Sheet, Form: ext.Source.Form}
}

// CheckReports refuses what no store saves as the reports of one document:
// none, a missing one, or two at one place (one key for two reports).
func CheckReports(exts []*pipeline.Extraction) error {
	if len(exts) == 0 {
		return errors.New("没有要保存的报告")
	}
	seen := map[Place]bool{}
	for i, ext := range exts {
		if ext == nil {
			return fmt.Errorf("第 %d 份报告为空", i+1)
		}
		p := PlaceOf(ext)
		if seen[p] {
			return fmt.Errorf("两份报告位于同一处（工作表“%s”，第 %d 张表）", p.Sheet, p.Form)
		}
		seen[p] = true
	}
	return nil
}

// ReportsSaver is a store that saves the reports of one document at once.
type ReportsSaver interface {
	SaveReports(ctx context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction) ([]int64, error)
}

// SaveOne is SaveReport of every store: SaveReports of a document holding
// one report.
func SaveOne(ctx context.Context, s ReportsSaver, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	ids, err := s.SaveReports(ctx, doc, original, []*pipeline.Extraction{ext})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}
