package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/jixiao/jixiao/pipeline"
)

// positionsText is the position map as the reports table keeps it: a JSON
// array of triples, offset and line as the difference to the previous
// position's (small numbers, some five bytes a source line), page as is.
func positionsText(ps []pipeline.Position) string {
	if len(ps) == 0 {
		return ""
	}
	flat := make([]int, 0, 3*len(ps))
	var prev pipeline.Position
	for _, p := range ps {
		flat = append(flat, p.Offset-prev.Offset, p.Line-prev.Line, p.Page)
		prev = p
	}
	b, _ := json.Marshal(flat) // ints always marshal
	return string(b)
}

// parsePositions reads what positionsText wrote; "" is no map.
func parsePositions(s string) ([]pipeline.Position, error) {
	if s == "" {
		return nil, nil
	}
	var flat []int
	if err := json.Unmarshal([]byte(s), &flat); err != nil || len(flat)%3 != 0 {
		return nil, fmt.Errorf("stored position map is damaged: %v", err)
	}
	out := make([]pipeline.Position, len(flat)/3)
	var prev pipeline.Position
	for i := range out {
		prev = pipeline.Position{Offset: prev.Offset + flat[3*i], Line: prev.Line + flat[3*i+1], Page: flat[3*i+2]}
		out[i] = prev
	}
	return out, nil
}
