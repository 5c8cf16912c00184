package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// The queue hands out each organisation's reports in year order, the
// organisation waiting longest first, and passes over an organisation
// whose report is still being saved.
func TestSaveQueueHandsOutEarlierYearsFirst(t *testing.T) {
	q := newSaveQueue()
	for i, r := range []struct {
		org  string
		year int
	}{{"伊宁县农业农村局", 2024}, {"甘肃省民政厅", 2022}, {"伊宁县农业农村局", 2023}, {"", 0}, {"甘肃省民政厅", 2021}} {
		ext := pipeline.NewExtraction()
		ext.Text = "正文"
		p := &prepared{res: Result{Path: fmt.Sprint(i), SHA256: fmt.Sprint(i), Org: r.org, Year: r.year}, exts: []*pipeline.Extraction{ext}}
		if got, dup := q.push(p); got != nil || dup {
			t.Fatalf("push %d: handed out %v (dup %v) before the queue is full", i, got, dup)
		}
	}
	if _, dup := q.push(&prepared{res: Result{SHA256: "2"}, exts: []*pipeline.Extraction{pipeline.NewExtraction()}}); !dup {
		t.Error("the same bytes twice in the queue are not reported as present")
	}
	var order []string
	busy := q.pop() // 伊宁县 2023, kept in flight
	order = append(order, fmt.Sprint(busy.p.res.Org, busy.p.res.Year))
	for tn := q.pop(); tn != nil; tn = q.pop() {
		order = append(order, fmt.Sprint(tn.p.res.Org, tn.p.res.Year))
		tn.finish()
		if busy != nil {
			busy.finish()
			busy = nil
		}
	}
	want := "伊宁县农业农村局2023 甘肃省民政厅2021 伊宁县农业农村局2024 甘肃省民政厅2022 0"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("handed out %s, want %s", got, want)
	}
}
