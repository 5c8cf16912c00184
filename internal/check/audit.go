package check

import "github.com/jixiao/jixiao/pipeline"

// Audit re-scores the indicator table; nil when the report has none.
// (Placeholder until the indicator audit lands: it re-scores nothing.)
func Audit(r *pipeline.Report) *pipeline.IndicatorAudit { return nil }
