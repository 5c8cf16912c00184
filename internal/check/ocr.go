package check

import (
	"regexp"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/pipeline"
)

// A scanned report's table figures are read by OCR, and a figure OCR was
// unsure of (a decimal point lost under a seal, 9.37 read as 93) would
// raise a finding the report does not deserve: noise alone raises none.
// The rules that compare a table's figures are not raised when a figure
// they compared was recognised with a confidence under figureSure.

// tableRules compare the figures of the self-evaluation table's rows.
var tableRules = map[string]bool{
	"score.sum_mismatch":              true,
	"score.out_of_range":              true,
	"indicator.score_inflated":        true,
	"indicator.deviation_unexplained": true,
	"indicator.unverifiable_actual":   true,
	"budget.execution_score_mismatch": true,
}

// bareFigure is a cell that is only a figure: a weight, a score, a rate;
// quantity is a target or an actual value: a figure with its operator and
// unit (≥1100人次, 95.7%).
var (
	bareFigure = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?%?$`)
	quantity   = regexp.MustCompile(`^[≥≤<>＜＞=]?[0-9]+(\.[0-9]+)?[%\p{Han}]{0,4}$`)
)

// comparesValues: the rules that read a row's target and actual values,
// not only its weight and score.
var comparesValues = map[string]bool{
	"indicator.score_inflated":        true,
	"indicator.deviation_unexplained": true,
	"indicator.unverifiable_actual":   true,
}

// misreadFigures: some figure cell of the rows the finding rests on (the
// rows its evidence quotes; every row of the table for a sum) was
// recognised with too little confidence.
func misreadFigures(in *Input, rule string, f pipeline.Finding) bool {
	for _, blk := range in.Doc.Tables() {
		for _, row := range blk.Table.Rows {
			if rule != "score.sum_mismatch" && !quoted(row, f.Evidence) {
				continue
			}
			for _, c := range row {
				if !bareFigure.MatchString(c.Text) && !(comparesValues[rule] && quantity.MatchString(c.Text)) {
					continue
				}
				if in.Doc.Evidence(c.Start, c.End).Unsure() {
					return true
				}
			}
		}
	}
	return false
}

// quoted: a cell of the row lies inside one of the evidence quotes.
func quoted(row []document.Cell, evs []pipeline.Evidence) bool {
	for _, c := range row {
		for _, e := range evs {
			if e.Quote != "" && c.Start >= e.Offset && c.End <= e.Offset+len(e.Quote) && c.End > c.Start {
				return true
			}
		}
	}
	return false
}
