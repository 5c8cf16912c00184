package history

import "github.com/jixiao/jixiao/pipeline"

// Change is how one year of a trend moved from the year before it. A field
// is nil when either year does not state the value.
type Change struct {
	Planned       *pipeline.Amount  `json:"planned_yuan"`
	Adjusted      *pipeline.Amount  `json:"adjusted_yuan"`
	Executed      *pipeline.Amount  `json:"executed_yuan"`
	ExecutionRate *pipeline.Decimal `json:"execution_rate"`
	Score         *pipeline.Decimal `json:"score"`
}

// Changes returns, for each point of a trend (oldest first), its change from
// the point before; the first point's change is nil.
func Changes(points []pipeline.TrendPoint) []*Change {
	out := make([]*Change, len(points))
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		out[i] = &Change{
			Planned:       amountDelta(a.Planned, b.Planned),
			Adjusted:      amountDelta(a.Adjusted, b.Adjusted),
			Executed:      amountDelta(a.Executed, b.Executed),
			ExecutionRate: decimalDelta(a.ExecutionRate, b.ExecutionRate),
			Score:         decimalDelta(a.Score, b.Score),
		}
	}
	return out
}

func amountDelta(a, b *pipeline.Amount) *pipeline.Amount {
	if a == nil || b == nil {
		return nil
	}
	return &pipeline.Amount{Fen: b.Fen - a.Fen}
}

func decimalDelta(a, b *pipeline.Decimal) *pipeline.Decimal {
	if a == nil || b == nil {
		return nil
	}
	d := b.Sub(*a)
	return &d
}
