package web

import (
	"math"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// A chart is a year-over-year line chart drawn on the server as SVG. The
// numbers here only place marks on a canvas, so floats are fine; every label
// a reviewer reads is printed from the exact Amount or Decimal.
type chart struct {
	ID     string // "budget", "rate", "score"
	Title  string
	YLabel string // unit of the vertical axis
	Width  int
	Height int
	Left   float64 // plot area
	Right  float64
	Top    float64
	Bottom float64
	XTicks []tick
	YTicks []tick
	Bands  []band
	Ref    *refLine
	Series []chartSeries
	Empty  bool
}

type tick struct {
	Pos   float64
	Label string
}

// band is a horizontal strip: a grade band of the score chart.
type band struct {
	Y, H   float64
	LabelY float64
	Label  string
	Class  string
}

type refLine struct {
	Y     float64
	Label string
}

type chartSeries struct {
	Name   string
	Class  string
	Lines  []string // polyline point lists; a missing year breaks the line
	Points []chartPoint
}

type chartPoint struct {
	X, Y  float64
	Year  int
	Value string // exact figure with its unit
}

const (
	chartWidth  = 540
	chartHeight = 280
	marginLeft  = 72
	marginRight = 72
	marginTop   = 28
	marginBot   = 48
)

// datum is one year's value of a series: v places the mark, label says it.
type datum struct {
	year  int
	v     float64
	label string
	ok    bool
}

// seriesSpec names a series and reads its value from a trend point.
type seriesSpec struct {
	name, class string
	value       func(p pipeline.TrendPoint) datum
}

func amountDatum(a *pipeline.Amount) datum {
	if a == nil {
		return datum{}
	}
	return datum{v: float64(a.Fen) / 1e6, label: report.Amount(a), ok: true}
}

func decimalDatum(d *pipeline.Decimal, unit string) datum {
	if d == nil {
		return datum{}
	}
	f, _ := d.Rat().Float64()
	return datum{v: f, label: d.Trim() + unit, ok: true}
}

// trendCharts draws the three charts of a series: budget planned, adjusted
// and executed in 万元; execution rate in %; score with grade bands.
func trendCharts(points []pipeline.TrendPoint) []chart {
	budget := []seriesSpec{
		{"年初预算", "s-planned", func(p pipeline.TrendPoint) datum { return amountDatum(p.Planned) }},
		{"全年预算", "s-adjusted", func(p pipeline.TrendPoint) datum { return amountDatum(p.Adjusted) }},
		{"全年执行", "s-executed", func(p pipeline.TrendPoint) datum { return amountDatum(p.Executed) }},
	}
	rate := []seriesSpec{
		{"预算执行率", "s-rate", func(p pipeline.TrendPoint) datum { return decimalDatum(p.ExecutionRate, "%") }},
	}
	score := []seriesSpec{
		{"自评得分", "s-score", func(p pipeline.TrendPoint) datum { return decimalDatum(p.Score, " 分") }},
	}
	return []chart{
		lineChart("budget", "预算与执行（万元）", "万元", points, budget, false),
		lineChart("rate", "预算执行率（%）", "%", points, rate, false),
		lineChart("score", "自评得分与等级", "分", points, score, true),
	}
}

// lineChart lays out one chart. Series with no value in any year are left
// out so the legend lists only what is drawn.
func lineChart(id, title, unit string, points []pipeline.TrendPoint, specs []seriesSpec, grades bool) chart {
	c := chart{ID: id, Title: title, YLabel: unit, Width: chartWidth, Height: chartHeight,
		Left: marginLeft, Right: chartWidth - marginRight, Top: marginTop, Bottom: chartHeight - marginBot}
	years := yearRange(points)
	data := make([][]datum, len(specs))
	lo, hi, found := math.Inf(1), math.Inf(-1), false
	for i, sp := range specs {
		for _, p := range points {
			d := sp.value(p)
			if !d.ok || p.Year == 0 {
				continue
			}
			d.year = p.Year
			data[i] = append(data[i], d)
			lo, hi, found = math.Min(lo, d.v), math.Max(hi, d.v), true
		}
	}
	if !found || len(years) == 0 {
		c.Empty = true
		return c
	}
	yMin, yMax := 0.0, hi
	switch id {
	case "score", "rate":
		// Scores and rates crowd near 100: start the axis a little below
		// the lowest value, at most at 60 so the 中/良/优 bands show.
		yMin = math.Max(0, math.Min(60, math.Floor((lo-10)/10)*10))
		yMax = math.Max(100, hi)
	}
	yTicks, yMax := niceTicks(yMin, yMax)
	c.YTicks = c.placeYTicks(yTicks, yMin, yMax)
	c.XTicks = c.placeXTicks(years)
	if grades {
		c.Bands = c.gradeBands(yMin, yMax)
	}
	if id == "rate" {
		c.Ref = &refLine{Y: c.y(100, yMin, yMax), Label: "100%"}
	}
	for i, sp := range specs {
		if len(data[i]) == 0 {
			continue
		}
		c.Series = append(c.Series, c.series(sp, data[i], years, yMin, yMax))
	}
	return c
}

func (c *chart) series(sp seriesSpec, data []datum, years []int, yMin, yMax float64) chartSeries {
	s := chartSeries{Name: sp.name, Class: sp.class}
	var run []string
	prevYear := 0
	for _, d := range data {
		x, y := c.x(d.year, years), c.y(d.v, yMin, yMax)
		if prevYear != 0 && d.year != prevYear+1 {
			if len(run) > 1 {
				s.Lines = append(s.Lines, strings.Join(run, " "))
			}
			run = nil
		}
		run = append(run, coord(x)+","+coord(y))
		s.Points = append(s.Points, chartPoint{X: round1(x), Y: round1(y), Year: d.year, Value: d.label})
		prevYear = d.year
	}
	if len(run) > 1 {
		s.Lines = append(s.Lines, strings.Join(run, " "))
	}
	return s
}

// yearRange lists every year from the first to the last of the points, so
// a missing year leaves a visible gap on the axis.
func yearRange(points []pipeline.TrendPoint) []int {
	lo, hi := 0, 0
	for _, p := range points {
		if p.Year == 0 {
			continue
		}
		if lo == 0 || p.Year < lo {
			lo = p.Year
		}
		if p.Year > hi {
			hi = p.Year
		}
	}
	if lo == 0 || hi-lo > 50 {
		return nil
	}
	var ys []int
	for y := lo; y <= hi; y++ {
		ys = append(ys, y)
	}
	return ys
}

func (c *chart) x(year int, years []int) float64 {
	if len(years) == 1 {
		return (c.Left + c.Right) / 2
	}
	// Half a step of padding on each side keeps end points off the axes.
	step := (c.Right - c.Left) / float64(len(years))
	return c.Left + step/2 + float64(year-years[0])*step
}

func (c *chart) y(v, yMin, yMax float64) float64 {
	if yMax == yMin {
		return c.Bottom
	}
	return c.Bottom - (v-yMin)/(yMax-yMin)*(c.Bottom-c.Top)
}

func (c *chart) placeXTicks(years []int) []tick {
	out := make([]tick, len(years))
	for i, y := range years {
		out[i] = tick{Pos: round1(c.x(y, years)), Label: strconv.Itoa(y)}
	}
	return out
}

func (c *chart) placeYTicks(values []float64, yMin, yMax float64) []tick {
	out := make([]tick, len(values))
	for i, v := range values {
		out[i] = tick{Pos: round1(c.y(v, yMin, yMax)), Label: tickLabel(v)}
	}
	return out
}

// gradeBands shades the score bands of domain.md: 优 90–100, 良 80–90,
// 中 60–80, 差 below 60, clipped to the axis.
func (c *chart) gradeBands(yMin, yMax float64) []band {
	grades := []struct {
		lo, hi float64
		label  string
		class  string
	}{
		{0, 60, "差", "band-d"}, {60, 80, "中", "band-c"}, {80, 90, "良", "band-b"}, {90, 100, "优", "band-a"},
	}
	var out []band
	for _, g := range grades {
		lo, hi := math.Max(g.lo, yMin), math.Min(g.hi, yMax)
		if hi <= lo {
			continue
		}
		top, bottom := c.y(hi, yMin, yMax), c.y(lo, yMin, yMax)
		out = append(out, band{Y: round1(top), H: round1(bottom - top), LabelY: round1((top+bottom)/2 + 5),
			Label: g.label, Class: g.class})
	}
	return out
}

// niceTicks returns about five round tick values from lo up to a round
// maximum at or above hi, and that maximum.
func niceTicks(lo, hi float64) ([]float64, float64) {
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	top := lo + math.Ceil((hi-lo)/step-1e-9)*step
	var out []float64
	for i := 0; lo+float64(i)*step <= top+step/2; i++ {
		out = append(out, lo+float64(i)*step)
	}
	return out, top
}

func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

func tickLabel(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func coord(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }
