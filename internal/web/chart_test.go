package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

func point(year int, planned, executed int64, rate, score string) pipeline.TrendPoint {
	return pipeline.TrendPoint{Year: year, Planned: amountPtr(planned), Executed: amountPtr(executed),
		ExecutionRate: decPtr(rate), Score: decPtr(score)}
}

func chartByID(cs []chart, id string) chart {
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	return chart{}
}

func pointYears(s chartSeries) []int {
	var ys []int
	for _, p := range s.Points {
		ys = append(ys, p.Year)
	}
	return ys
}

// The 吐鲁番市残疾人联合会 series as the store gives it: a year without an
// execution figure has no executed point and breaks that line.
func TestTrendChartsOnePointPerStatedYear(t *testing.T) {
	points := []pipeline.TrendPoint{
		point(2019, 4514000, 4463000, "98.87", "99.89"),
		point(2020, 5010000, 0, "", "99.05"),
		point(2021, 4910000, 4913900, "93.4", "98.27"),
		point(2022, 5260000, 0, "", "93.35"),
		point(2023, 5280000, 5237900, "99.2", "85.6"),
	}
	charts := trendCharts(points)
	budget := chartByID(charts, "budget")
	if len(budget.Series) != 2 { // planned, executed; adjusted never stated
		t.Fatalf("budget series %d, want planned and executed", len(budget.Series))
	}
	planned, executed := budget.Series[0], budget.Series[1]
	if got := pointYears(planned); !slices.Equal(got, []int{2019, 2020, 2021, 2022, 2023}) {
		t.Errorf("planned points %v", got)
	}
	if got := pointYears(executed); !slices.Equal(got, []int{2019, 2021, 2023}) {
		t.Errorf("executed points %v", got)
	}
	if len(planned.Lines) != 1 || strings.Count(planned.Lines[0], ",") != 5 {
		t.Errorf("planned line %q, want one line through 5 points", planned.Lines)
	}
	// 2019→2021 skips a year: no line is drawn across the gap.
	if len(executed.Lines) != 0 {
		t.Errorf("executed lines %q, want none (no two consecutive years)", executed.Lines)
	}
	if planned.Points[3].Value != "526 万元" || executed.Points[1].Value != "491.39 万元" {
		t.Errorf("point labels %q, %q", planned.Points[3].Value, executed.Points[1].Value)
	}
	if got := budget.XTicks; len(got) != 5 || got[0].Label != "2019" || got[4].Label != "2023" {
		t.Errorf("year ticks %+v", got)
	}
	// 0 … 600 万元 in round steps.
	if got := budget.YTicks; got[0].Label != "0" || got[len(got)-1].Label != "600" {
		t.Errorf("万元 ticks %+v", got)
	}

	score := chartByID(charts, "score")
	if got := pointYears(score.Series[0]); len(got) != 5 {
		t.Errorf("score points %v, want one per year", got)
	}
	var bands []string
	for _, b := range score.Bands {
		bands = append(bands, b.Label)
	}
	if !slices.Equal(bands, []string{"中", "良", "优"}) {
		t.Errorf("grade bands %q: the axis starts at 60 for scores of 85.6 and more", bands)
	}
	// Higher scores are higher on the canvas (smaller y).
	sp := score.Series[0].Points
	if !(sp[0].Y < sp[4].Y) {
		t.Errorf("99.89 at y=%v is not above 85.6 at y=%v", sp[0].Y, sp[4].Y)
	}
	// The 优 band spans 90–100 exactly at the axis ends.
	top := score.Bands[2]
	if top.Y != score.Top || top.Y+top.H != score.y(90, 60, 100) {
		t.Errorf("优 band from %v to %v", top.Y, top.Y+top.H)
	}

	rate := chartByID(charts, "rate")
	if rate.Ref == nil || rate.Ref.Label != "100%" || len(rate.Series[0].Points) != 3 {
		t.Errorf("rate chart: ref %+v, %d points", rate.Ref, len(rate.Series[0].Points))
	}
}

func TestTrendChartsEdgeCases(t *testing.T) {
	// No figures at all: every chart says so instead of drawing axes.
	for _, c := range trendCharts([]pipeline.TrendPoint{{Year: 2022}}) {
		if !c.Empty {
			t.Errorf("chart %s is drawn without data", c.ID)
		}
	}
	// One year: its point sits in the middle.
	c := chartByID(trendCharts([]pipeline.TrendPoint{point(2022, 2400000, 0, "", "90.58")}), "score")
	if len(c.Series[0].Points) != 1 || c.Series[0].Points[0].X != (c.Left+c.Right)/2 {
		t.Errorf("single point %+v", c.Series[0].Points)
	}
	// A score above 100 (score.out_of_range) stays on the canvas.
	c = chartByID(trendCharts([]pipeline.TrendPoint{point(2021, 0, 0, "", "96.6"), point(2022, 0, 0, "", "102.06")}), "score")
	for _, p := range c.Series[0].Points {
		if p.Y < c.Top || p.Y > c.Bottom {
			t.Errorf("point %+v off the plot %v–%v", p, c.Top, c.Bottom)
		}
	}
	// A year 0 (not stated) is left out, not drawn at year 0.
	c = chartByID(trendCharts([]pipeline.TrendPoint{point(0, 100, 0, "", "80"), point(2022, 100, 0, "", "81")}), "score")
	if got := pointYears(c.Series[0]); !slices.Equal(got, []int{2022}) {
		t.Errorf("points %v", got)
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi  float64
		wantTop float64
		wantN   int
	}{
		{0, 526, 600, 4},      // step 200
		{0, 6.3, 8, 5},        // step 2
		{60, 100, 100, 5},     // step 10
		{0, 3385.72, 4000, 5}, // step 1000
		{0, 0, 1, 6},          // nothing to show still gives an axis
	}
	for _, c := range cases {
		ticks, top := niceTicks(c.lo, c.hi)
		if top != c.wantTop || len(ticks) != c.wantN || ticks[0] != c.lo {
			t.Errorf("niceTicks(%v, %v) = %v up to %v; want %d ticks to %v", c.lo, c.hi, ticks, top, c.wantN, c.wantTop)
		}
	}
}
