package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/money"
	"github.com/jixiao/jixiao/pipeline"
)

// Table is the self-evaluation table (项目支出绩效自评表) of a report.
type Table struct {
	// Indicators are the 三级指标 rows; the 预算执行率 row is not one.
	Indicators []pipeline.Indicator
	// ExecutionRow is the 年度资金总额 (or 预算执行率) row: weight, rate, score.
	ExecutionRow *pipeline.ExecutionRow
	// Planned, Adjusted, Executed are the 年度资金总额 row's 年初预算数,
	// 全年预算数 and 全年执行数, in the unit the header names.
	Planned, Adjusted, Executed *pipeline.Amount
	// Total is the 总分 row's score.
	Total *pipeline.Decimal
	// Funding are the funding-source rows (其中：当年财政拨款, 上年结转资金,
	// 其他资金), one breakdown per amount column they fill.
	Funding []pipeline.Breakdown
	// Project, Organization (实施单位), Supervisor (主管部门) and Year are the
	// header's; Grade the ticked box of its grade row. Empty or 0 when the
	// form does not state them.
	Project, Organization, Supervisor, Grade string
	Year                                     int
	// Problems are the items of the form's 存在问题 cell, if any.
	Problems []string
	// Kind is the form's kind by its title: "department" for a
	// 部门整体支出绩效自评表, "project" for a 项目支出绩效自评表, else "".
	Kind string
	// Start and End are the table block's byte range in the text.
	Start, End int
	// Evidence is keyed "planned", "adjusted", "executed", "execution_row",
	// "total", "project", "organization", "supervisor", "year", "grade".
	Evidence map[string]pipeline.Evidence
}

// A table reaches the reader as the cells of a document table block, in the
// layout its source allowed (internal/document): a grid, whose rows and
// columns are exact (pipe rows, tabs, Word and Excel tables, a web copy's
// one-cell-per-line form with its empty cells); rows aligned by spaces
// (pdftotext -layout); or a stream of cells in reading order (one cell per
// line, a PDF text layer, OCR lines, a whole form flattened onto one line).
// A grid is read by its header's columns. A stream is read the way a reader
// finds rows without rules: by their two trailing numbers (分值, 得分), so
// empty cells, cells spanning rows (一级/二级指标 printed once) and wrapped
// cells need no grid; aligned rows lend their columns where the stream
// leaves something open.

// cell is one table cell as the readers see it.
type cell struct {
	text       string
	start, end int  // byte offsets in Doc.Text
	line       int  // row of the table block (for a stream or aligned rows, a source line)
	col        int  // the column: index in a grid row, display column of aligned rows, -1 in a stream
	alone      bool // the only cell on its line
	tailJoined bool // a wrapped tail was already joined to it
}

type field int

const (
	fNone field = iota
	fLevel1
	fLevel2
	fLevel3
	fTarget
	fActual
	fWeight
	fScore
	fDeviation
)

// headerWords are the column titles of the indicator part; they are skipped
// wherever they appear (a header repeated after a page break).
var headerWords = map[string]field{
	"一级指标": fLevel1, "二级指标": fLevel2, "三级指标": fLevel3,
	"年度指标值": fTarget, "指标值": fTarget, "年度目标值": fTarget, "目标值": fTarget, "预期指标值": fTarget, "年度指标": fTarget,
	"实际完成值": fActual, "实际值": fActual, "完成值": fActual, "全年实际值": fActual, "全年完成值": fActual, "实际完成情况值": fActual,
	"分值": fWeight, "权重": fWeight, "指标分值": fWeight,
	"得分": fScore, "自评得分": fScore, "评分": fScore,
	"偏差原因分析及改进措施": fDeviation, "偏差原因分析及": fDeviation, "改进措施": fDeviation, "偏差原因分析": fDeviation,
	"偏差原因": fDeviation, "分析及改进措施": fDeviation, "未完成原因分析": fDeviation, "备注": fDeviation,
	"年度": fTarget, "实际": fActual, "指标名称": fLevel3,
	"绩效指标": fNone,
}

var (
	totalLabel = regexp.MustCompile(`^(总\s*分|合\s*计|总\s*计|自评总分|综合得分)$`)
	unitLabel  = regexp.MustCompile(`(?:[（(]\s*|单位\s*[:：]\s*)(万元|千元|亿元|元)`)
)

// parseTable reads the self-evaluation form of doc: the first table that
// has an indicator header, else the first with a money row; nil when no
// table is one.
func parseTable(doc *document.Doc) *Table {
	var first *Table
	for _, blk := range doc.Tables() {
		t := readTable(doc, blk.Table)
		if t == nil {
			continue
		}
		t.Start, t.End = blk.Start, blk.End
		if len(t.Indicators) > 0 {
			return t
		}
		if first == nil {
			first = t
		}
	}
	return first
}

// readTable reads one table block: its header cells, its money rows and its
// indicator rows.
func readTable(doc *document.Doc, dt *document.Table) *Table {
	rows, grid := tableRows(dt)
	cells := flatten(rows)
	if !grid {
		cells = joinWrappedLabels(cells)
	}
	t := &Table{Indicators: []pipeline.Indicator{}, Evidence: map[string]pipeline.Evidence{}}
	hc := indicatorHeader(cells)
	moneyEnd := len(cells)
	if hc >= 0 {
		moneyEnd = headerStart(cells, hc)
	}
	readHeaderCells(doc, t, cells[:moneyEnd])
	flow := !grid && dt.Layout == document.Stream && multiCell(rows)
	if grid {
		readGridMoney(doc, t, rows, cells[:moneyEnd])
	} else {
		readMoney(doc, t, mergeFragments(splitGlued(cells[:moneyEnd]), flow))
	}
	if hc >= 0 {
		if grid {
			readGridIndicators(doc, t, rows, cells[hc].line)
		} else {
			readIndicators(doc, t, rows, cells[hc].line, cells[moneyEnd:], flow, dt.Layout == document.Aligned)
		}
	}
	readGrade(doc, t, cells)
	readProblemCell(doc, t, cells)
	if len(t.Indicators) == 0 && t.ExecutionRow == nil && t.Planned == nil && t.Adjusted == nil && t.Executed == nil &&
		len(t.Problems) == 0 && t.Project == "" && t.Organization == "" {
		return nil
	}
	return t
}

// tableRows turns a document table into rows of cells. A stream that kept
// its empty cells (a web copy printing each cell on a line of its own, "a |")
// is a grid flattened row by row: its rows are cut again by the widths of
// the form's header rows.
func tableRows(dt *document.Table) ([][]cell, bool) {
	if dt.Layout == document.Stream && hasEmpty(dt) {
		if rows := regrid(dt.Cells()); rows != nil {
			return rows, true
		}
	}
	rows := make([][]cell, len(dt.Rows))
	for i, r := range dt.Rows {
		n := 0
		for _, c := range r {
			if !c.Empty() {
				n++
			}
		}
		for _, c := range r {
			if c.Empty() && dt.Layout != document.Grid {
				continue
			}
			col := -1
			switch dt.Layout {
			case document.Grid:
				col = c.Col
			case document.Aligned:
				col = c.X
			}
			rows[i] = append(rows[i], cell{text: c.Text, start: c.Start, end: c.End, line: i, col: col, alone: n == 1})
		}
	}
	return rows, dt.Layout == document.Grid
}

func hasEmpty(dt *document.Table) bool {
	for _, r := range dt.Rows {
		for _, c := range r {
			if c.Empty() {
				return true
			}
		}
	}
	return false
}

// flatten lists the non-empty cells of rows in reading order.
func flatten(rows [][]cell) []cell {
	var out []cell
	for _, r := range rows {
		for _, c := range r {
			if c.text != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// multiCell: some line holds more than one cell (a text flow, not one cell
// per line).
func multiCell(rows [][]cell) bool {
	for _, r := range rows {
		if len(r) > 1 {
			return true
		}
	}
	return false
}

// indicatorHeader returns the index of the 三级指标 cell of a header with a
// target and a score column, or -1.
func indicatorHeader(cells []cell) int {
	for _, title := range []string{"三级指标", "指标名称"} {
		for i, c := range cells {
			if !strings.Contains(c.text, title) {
				continue
			}
			window := ""
			for k := i; k < len(cells) && k < i+12; k++ {
				window += cells[k].text
			}
			if (strings.Contains(window, "指标值") || strings.Contains(window, "目标值") || strings.Contains(window, "实际")) &&
				strings.Contains(window, "得分") {
				return i
			}
		}
	}
	return -1
}

// headerStart walks back from the 三级指标 cell over the header words before
// it on its line (绩效指标 一级指标 二级指标): where the indicator part starts.
func headerStart(cells []cell, hc int) int {
	i := hc
	for i > 0 && cells[i-1].line >= cells[i].line-1 && isHeaderWord(cells[i-1].text) {
		i--
	}
	return i
}

// ---- money rows ----

// moneyColumns are the classes of the money part's column titles and the
// keys their values are read under.
var moneyColumns = []struct{ class, key string }{
	{"col_planned", "planned"}, {"col_adjusted", "adjusted"}, {"col_executed", "executed"},
	{"col_weight", "weight"}, {"col_rate", "rate"}, {"col_score", "score"},
}

// moneyHead returns the key of a money column title, "" for any other cell.
func moneyHead(s string) string {
	classes := make([]string, len(moneyColumns))
	for i, c := range moneyColumns {
		classes[i] = c.class
	}
	class, _ := labelOf(stripNote(s), classes...)
	for _, c := range moneyColumns {
		if c.class == class {
			return c.key
		}
	}
	return ""
}

// readMoney reads the money part of a stream: the 年度资金总额 row's values
// follow its label in the order of the header's columns, and so do the
// funding-source rows' under it.
func readMoney(doc *document.Doc, t *Table, cells []cell) {
	var heads []string
	var headCells []cell
	label := -1
	for i, c := range cells {
		if k := moneyHead(c.text); k != "" && label < 0 {
			heads = append(heads, k)
			headCells = append(headCells, c)
		}
		if label < 0 && (strings.Contains(c.text, "资金总额") || isLabel(c.text, "row_total")) {
			label = i
		}
	}
	if label < 0 {
		return
	}
	vals := expandValues(valuesAfter(cells, label), heads)
	unit := moneyUnit(cells[:label])
	if unit == "" {
		unit = moneyUnit(cells[label:]) // （万元） under the label in a laid-out table
	}
	assign := alignValues(heads, vals)
	if len(vals) != len(heads) && oneLine(headCells) && oneLine(vals) && len(vals) > 0 && vals[0].line != headCells[0].line {
		assign = alignByColumn(heads, headCells, vals)
	}
	total := moneyRow{label: cells[label], values: assign, end: cells[label].end}
	if len(vals) > 0 {
		total.end = vals[len(vals)-1].end
	}
	var sources []moneyRow
	for i := label + 1 + len(valuesAfter(cells, label)); i < len(cells); i++ {
		if !isLabel(cells[i].text, "row_source") {
			continue
		}
		sv := expandValues(valuesAfter(cells, i), heads)
		sources = append(sources, moneyRow{label: cells[i], values: alignSource(heads, sv)})
	}
	applyMoney(doc, t, unit, total, sources)
}

// valuesAfter are the value cells (figures, dashes, glued runs) right after
// cells[i].
func valuesAfter(cells []cell, i int) []cell {
	var out []cell
	for _, c := range cells[i+1:] {
		if !isValueCell(c.text) && !isRun(c.text) {
			break
		}
		out = append(out, c)
	}
	return out
}

// alignSource pairs a funding-source row's values with the columns: all of
// them when it fills every column, else its amounts from the left.
func alignSource(heads []string, vals []cell) map[string]cell {
	out := map[string]cell{}
	if len(vals) == len(heads) {
		for i, h := range heads {
			if !isDash(vals[i].text) {
				out[h] = vals[i]
			}
		}
		return out
	}
	k := 0
	for _, h := range heads {
		if h != "planned" && h != "adjusted" && h != "executed" {
			continue
		}
		if k < len(vals) && !isDash(vals[k].text) && !strings.ContainsAny(vals[k].text, "%％") {
			out[h] = vals[k]
		}
		k++
	}
	return out
}

// alignValues pairs the row's values with the header's columns. When cells
// are missing, the percentage anchors 执行率: 分值 just before, 得分 after,
// amounts before 分值 from the left.
func alignValues(heads []string, vals []cell) map[string]cell {
	out := map[string]cell{}
	if len(heads) == 0 {
		heads = []string{"planned", "adjusted", "executed", "weight", "rate", "score"}
	}
	if len(vals) == len(heads) {
		for i, h := range heads {
			if !isDash(vals[i].text) {
				out[h] = vals[i]
			}
		}
		return out
	}
	pct := -1
	for i, v := range vals {
		if strings.ContainsAny(v.text, "%％") {
			pct = i
		}
	}
	if pct < 0 {
		return out
	}
	out["rate"] = vals[pct]
	if pct+1 < len(vals) && !isDash(vals[pct+1].text) {
		out["score"] = vals[pct+1]
	}
	if pct >= 1 && !isDash(vals[pct-1].text) {
		out["weight"] = vals[pct-1]
	}
	var amountHeads []string
	for _, h := range heads {
		if h == "planned" || h == "adjusted" || h == "executed" {
			amountHeads = append(amountHeads, h)
		}
	}
	for i := 0; i < pct-1 && i < len(amountHeads); i++ {
		if !isDash(vals[i].text) {
			out[amountHeads[i]] = vals[i]
		}
	}
	return out
}

// oneLine: the cells sit on one text line (a laid-out row).
func oneLine(cs []cell) bool {
	for _, c := range cs {
		if c.line != cs[0].line || c.alone {
			return false
		}
	}
	return len(cs) > 1
}

// alignByColumn gives each value the header whose column it starts under,
// for a laid-out row with an empty cell.
func alignByColumn(heads []string, headCells, vals []cell) map[string]cell {
	out := map[string]cell{}
	for _, v := range vals {
		best, bestD := -1, 1<<30
		for i, h := range headCells {
			d := v.col - h.col
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 && !isDash(v.text) {
			out[heads[best]] = v
		}
	}
	return out
}

func isDash(s string) bool {
	switch strings.TrimSpace(s) {
	case "—", "-", "－", "/", "——", "–", "":
		return true
	}
	return false
}

// isValueCell: a number, a percentage, or a dash standing for an empty cell.
func isValueCell(s string) bool {
	if isDash(s) {
		return true
	}
	return decimalCell(strings.TrimRight(strings.TrimSpace(s), "%％")) != nil
}

// decimalCell reads a number cell as written: 10, 9.66, 1,250.00, full-width
// digits, a trailing 分 (10分). Nil when the cell is not one number.
func decimalCell(s string) *pipeline.Decimal {
	s = strings.TrimSuffix(strings.TrimSpace(s), "分")
	if d, err := pipeline.ParseDecimal(s); err == nil {
		return &d
	}
	if !strings.ContainsAny(s, "0123456789０１２３４５６７８９") {
		return nil // Chinese numerals are words in a table cell
	}
	if d, ok := money.ParseDecimal(s); ok {
		return &d
	}
	return nil
}

func isNumberCell(s string) bool { return decimalCell(s) != nil }

// ---- indicator rows ----

// columns maps the fields of a laid-out header to display columns.
type columns map[field]int

// layoutColumns reads the column grid of aligned rows: the 三级指标 row and
// the header rows right after it (a header wrapped over two lines), nil
// when the header is one cell per line.
func layoutColumns(rows [][]cell, head int) columns {
	var cells []cell
	for k := head; k < len(rows) && k < head+3; k++ {
		cs := rows[k]
		if k > head && (len(cs) == 0 || !allHeader(cs)) {
			break
		}
		cells = append(cells, cs...)
	}
	if len(cells) < 4 || len(rows[head]) < 2 {
		return nil
	}
	return headerColumns(cells)
}

func allHeader(cs []cell) bool {
	for _, c := range cs {
		if !isHeaderFragment(c.text) {
			return false
		}
	}
	return true
}

func headerColumns(cells []cell) columns {
	cols := columns{}
	for _, c := range cells {
		if f, ok := headerWord(c.text); ok && f != fNone {
			if _, seen := cols[f]; !seen {
				cols[f] = c.col
			}
		}
	}
	return cols
}

// splitCells splits a cell that filled its column and left only one space
// before the next (不低于5万份 5.2万份): a space followed by text starting at
// another column's position separates two cells.
func (cols columns) splitCells(cells []cell) []cell {
	var out []cell
	for _, c := range cells {
		out = append(out, cols.splitCell(c)...)
	}
	return out
}

func (cols columns) splitCell(c cell) []cell {
	for i := 0; i < len(c.text); i++ {
		if c.text[i] != ' ' {
			continue
		}
		rest := strings.TrimLeft(c.text[i:], " ")
		at := len(c.text) - len(rest)
		col := c.col + document.DisplayWidth(c.text[:at])
		if rest == "" || !cols.startsAt(col) || cols.fieldAt(col) == cols.fieldAt(c.col) {
			continue
		}
		head := c
		head.text, head.end = strings.TrimRight(c.text[:i], " "), c.start+i
		tail := c
		tail.text, tail.start, tail.col = rest, c.start+at, col
		return append([]cell{head}, cols.splitCell(tail)...)
	}
	return []cell{c}
}

func (cols columns) startsAt(col int) bool {
	for _, c := range cols {
		if col-c <= 1 && c-col <= 1 {
			return true
		}
	}
	return false
}

// fieldAt returns the header column nearest to display column col.
func (cols columns) fieldAt(col int) field {
	best, bestD := fNone, 1<<30
	for f, c := range cols {
		d := col - c
		if d < 0 {
			d = -d
		}
		if d < bestD || d == bestD && f > best {
			best, bestD = f, d
		}
	}
	return best
}

func readIndicators(doc *document.Doc, t *Table, rows [][]cell, head int, cells []cell, flow, aligned bool) {
	var cols columns
	if aligned {
		cols = layoutColumns(rows, head)
	}
	stream, total := indicatorStream(cells, flow)
	if cols != nil {
		stream = cols.splitCells(stream)
	}
	p := &rowParser{doc: doc, t: t, cols: cols}
	p.parse(stream)
	if total != nil {
		readTotal(doc, t, total)
	}
}

// indicatorStream returns the cells of the indicator part up to the 总分
// row (whose cells are returned apart) or a sub-section heading after the
// table.
func indicatorStream(cells []cell, flow bool) (stream, total []cell) {
	for i, c := range cells {
		if document.IsSectionHeading(c.text) && c.alone {
			cells = cells[:i]
			break
		}
	}
	for len(cells) > 0 && isHeaderFragment(cells[0].text) {
		cells = cells[1:]
	}
	cells = mergeFragments(cells, flow)
	for i, c := range cells {
		if totalLabel.MatchString(c.text) {
			total = []cell{c}
			for _, n := range cells[i+1:] {
				if !isNumberCell(n.text) || len(total) == 3 {
					break
				}
				total = append(total, n)
			}
			return stream, total
		}
		if _, ok := headerWord(c.text); ok {
			continue
		}
		stream = append(stream, c)
	}
	return stream, nil
}

func readTotal(doc *document.Doc, t *Table, total []cell) {
	if len(total) < 2 {
		return
	}
	last := total[len(total)-1]
	t.Total = decimalCell(last.text)
	t.Evidence["total"] = doc.Evidence(total[0].start, last.end)
}

// rowParser turns the stream of cells into indicator rows.
type rowParser struct {
	doc    *document.Doc
	t      *Table
	cols   columns
	level1 string
	level2 string
	rows   []*pendingRow
}

type pendingRow struct {
	pipeline.Indicator
	line       int // text line of the target cell
	start, end int
	lastLine   int
}

func (p *rowParser) parse(cells []cell) {
	gapStart := 0
	for i := 0; i < len(cells); {
		if !isNumberCell(cells[i].text) {
			i++
			continue
		}
		e := i
		for e+1 < len(cells) && isNumberCell(cells[e+1].text) {
			e++
		}
		if e-i+1 < 2 || !plausibleWeight(cells[e-1].text) {
			i = e + 1
			continue
		}
		// The run ends with 分值, 得分; a longer run also holds the actual and
		// the target when they are bare numbers.
		// Whatever the run's length, the target is three cells before 得分.
		targetAt := e - 3
		if targetAt < gapStart {
			i = e + 1
			continue
		}
		target, actual := cells[targetAt], cells[targetAt+1]
		blank := cell{start: cells[e-1].start, end: cells[e-1].start, line: cells[e-1].line}
		switch p.emptyCells(cells[e-2], cells[e-1]) { // a laid-out row with empty cells
		case 1: // 实际完成值 empty
			targetAt++
			target, actual = cells[e-2], blank
		case 2: // both empty
			targetAt += 2
			target, actual = blank, blank
		}
		p.row(cells[gapStart:targetAt], target, actual, cells[e-1], cells[e])
		gapStart = e + 1
		i = e + 1
	}
	if len(p.rows) > 0 && gapStart < len(cells) {
		p.trailing(cells[gapStart:])
	}
	backfillLevels(p.rows)
	for _, r := range p.rows {
		p.finish(r)
	}
}

// emptyCells counts the target/actual cells a laid-out row leaves empty, by
// the column of the cell just before 分值: 1 when it stands under 年度指标值,
// 2 when under 三级指标; 0 without a column grid.
func (p *rowParser) emptyCells(before, weight cell) int {
	if p.cols == nil || before.line != weight.line {
		return 0
	}
	if _, ok := p.cols[fActual]; !ok {
		return 0
	}
	switch p.cols.fieldAt(before.col) {
	case fTarget:
		return 1
	case fLevel1, fLevel2, fLevel3:
		return 2
	}
	return 0
}

// backfillLevels gives rows printed above a vertically centred 一级/二级
// cell the category that appears below them.
func backfillLevels(rows []*pendingRow) {
	for i := len(rows) - 2; i >= 0; i-- {
		next := rows[i+1]
		if rows[i].Level1 == "" {
			rows[i].Level1 = next.Level1
		}
		if rows[i].Level2 == "" && rows[i].Level1 == next.Level1 {
			rows[i].Level2 = next.Level2
		}
	}
}

func plausibleWeight(s string) bool {
	d := decimalCell(s)
	return d != nil && d.Cmp(pipeline.Decimal{Units: 100}) <= 0 && d.Units >= 0
}

// row splits the cells between the previous row's score and this row's
// target into the previous row's deviation text, category cells and this
// row's name, then records the row.
func (p *rowParser) row(gap []cell, target, actual, weight, score cell) {
	var prev *pendingRow
	if len(p.rows) > 0 {
		prev = p.rows[len(p.rows)-1]
	}
	var dev, cats, name []cell
	if p.cols != nil {
		dev, cats, name = p.splitByColumn(gap, prev, target.line)
	} else {
		dev, cats, name = splitBySense(gap, prev)
	}
	if prev != nil {
		p.deviation(prev, dev)
	}
	if len(name) == 0 && len(cats) > 0 { // a 三级指标 that itself ends in 指标
		name, cats = cats[len(cats)-1:], cats[:len(cats)-1]
	}
	p.categories(cats)
	r := &pendingRow{line: target.line, lastLine: score.line}
	r.Level1, r.Level2 = p.level1, p.level2
	r.Level3 = joinCells(name)
	r.Target, r.Actual = target.text, actual.text
	r.Weight, r.Score = decimalCell(weight.text), decimalCell(score.text)
	r.start = target.start
	if len(name) > 0 {
		r.start = name[0].start
	}
	r.end = score.end
	if isExecutionRow(r.Level3) {
		p.executionRow(r)
		return
	}
	p.rows = append(p.rows, r)
}

func isExecutionRow(name string) bool {
	return strings.Contains(name, "执行率") && (strings.Contains(name, "预算") || strings.Contains(name, "资金"))
}

// executionRow records a 预算执行率 row of the indicator part. A money row
// that already gave weight, rate and score wins; one that lacks them (no
// 分值/得分 columns) takes this row's.
func (p *rowParser) executionRow(r *pendingRow) {
	row := &pipeline.ExecutionRow{Weight: r.Weight, Score: r.Score}
	if d, ok := money.ParsePercent(r.Actual); ok {
		row.Rate = &d
	}
	row.Evidence = p.doc.Evidence(r.start, r.end)
	if old := p.t.ExecutionRow; old != nil {
		if old.Weight != nil && old.Score != nil {
			return
		}
		if row.Rate == nil {
			row.Rate = old.Rate
		}
	}
	p.t.ExecutionRow = row
	p.t.Evidence["execution_row"] = row.Evidence
}

// splitByColumn uses the header's columns: a cell under 偏差原因 belongs to
// the previous row; a fragment under 三级指标 (or the target/actual) on a
// line of its own continues the previous row's cell.
func (p *rowParser) splitByColumn(gap []cell, prev *pendingRow, rowLine int) (dev, cats, name []cell) {
	for _, c := range gap {
		f := p.cols.fieldAt(c.col)
		ownLine := c.line != rowLine
		switch {
		case f == fDeviation:
			dev = append(dev, c)
		case f == fLevel1 || f == fLevel2:
			if isCategory(c.text) || !ownLine {
				cats = append(cats, c)
			} else {
				p.continueCategory(f, c.text, prev)
			}
		case ownLine && prev != nil && c.line <= prev.lastLine+3 && (f == fLevel3 || f == fTarget || f == fActual):
			switch f {
			case fLevel3:
				prev.Level3 += c.text
			case fTarget:
				prev.Target += c.text
			default:
				prev.Actual += c.text
			}
		default:
			name = append(name, c)
		}
	}
	// Category cells keep their column: a lone 二级指标 is not a 一级指标.
	if len(cats) == 1 && p.cols.fieldAt(cats[0].col) == fLevel2 && isCategory(cats[0].text) {
		p.level2 = cats[0].text
		cats = nil
	}
	return dev, cats, name
}

// continueCategory appends a wrapped piece (服务对象满意度 / 指标) to the
// current 一级 or 二级指标 and to the row that opened it.
func (p *rowParser) continueCategory(f field, text string, prev *pendingRow) {
	if f == fLevel1 {
		if prev != nil && prev.Level1 == p.level1 {
			prev.Level1 += text
		}
		p.level1 += text
		return
	}
	if prev != nil && prev.Level2 == p.level2 {
		prev.Level2 += text
	}
	p.level2 += text
}

// trailing handles the cells after the last row's 得分: its deviation, or
// in a laid-out table its wrapped pieces by column.
func (p *rowParser) trailing(cells []cell) {
	last := p.rows[len(p.rows)-1]
	if p.cols != nil {
		dev, _, _ := p.splitByColumn(cells, last, -1)
		p.deviation(last, dev)
		return
	}
	// One cell per line: the deviation ends with a sentence or says 无;
	// anything further is not the table's.
	for k := min(len(cells), 6) - 1; k >= 0; k-- {
		if document.ClosesStatement(cells[k].text) || isNoneWord(cells[k].text) {
			p.deviation(last, cells[:k+1])
			return
		}
	}
	if len(cells) <= 2 {
		p.deviation(last, cells)
	}
}

// splitBySense reads a gap without a column grid: category cells (…指标)
// sit between the previous row's deviation and this row's name. Without
// them, the deviation is what ends with a sentence or says 无; failing that,
// a row that lost points (the ones that explain themselves) keeps the lines
// up to the last clause (，) or all but the last line, and after a full-marks row the lines are one wrapped name
// (科普大篷车巡 / 展里程).
func splitBySense(gap []cell, prev *pendingRow) (dev, cats, name []cell) {
	first, last := -1, -1
	for i, c := range gap {
		if isCategory(c.text) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first >= 0 {
		return gap[:first], gap[first : last+1], gap[last+1:]
	}
	if len(gap) <= 1 {
		return nil, nil, gap
	}
	for k := len(gap) - 2; k >= 0; k-- {
		if document.ClosesStatement(gap[k].text) || isNoneWord(gap[k].text) {
			return gap[:k+1], nil, gap[k+1:]
		}
	}
	if prev != nil && prev.Weight != nil && prev.Score != nil && prev.Score.Cmp(*prev.Weight) < 0 {
		for k := len(gap) - 2; k >= 0; k-- {
			if strings.ContainsAny(gap[k].text, "，,；") { // a clause: reason text, not a name
				return gap[:k+1], nil, gap[k+1:]
			}
		}
		return gap[:len(gap)-1], nil, gap[len(gap)-1:]
	}
	return nil, nil, gap
}

// level1Words can only be 一级指标 (成本指标 is also a 二级指标 in the
// template before 2021, so it is not among them).
var level1Words = map[string]bool{"产出指标": true, "效益指标": true, "满意度指标": true}

// categories sets the current 一级/二级指标 from the category cells before a
// row: two cells are both levels, one is a 二级指标 unless it can only be a
// 一级指标.
func (p *rowParser) categories(cats []cell) {
	switch {
	case len(cats) >= 2:
		p.level1, p.level2 = cats[len(cats)-2].text, cats[len(cats)-1].text
	case len(cats) == 1:
		c := cats[0].text
		if level1Words[c] && p.cols == nil || p.cols != nil && p.cols.fieldAt(cats[0].col) == fLevel1 {
			if c != p.level1 {
				if p.level1 != "" { // a new group; a first 一级指标 printed mid-group keeps the 二级
					p.level2 = ""
				}
				p.level1 = c
			}
			return
		}
		p.level2 = c
	}
}

// isCategory: a 一级 or 二级指标 name, short and ending in 指标 (数量指标,
// 服务对象满意度指标), with no figures.
func isCategory(s string) bool {
	if !strings.HasSuffix(s, "指标") {
		return false
	}
	n := utf8.RuneCountInString(s)
	if n < 4 || n > 10 {
		return false
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func (p *rowParser) deviation(r *pendingRow, cells []cell) {
	if len(cells) == 0 {
		return
	}
	text := joinCells(cells)
	if r.Deviation == "" {
		r.Deviation = text
	} else {
		r.Deviation += text
	}
	r.lastLine = max(r.lastLine, cells[len(cells)-1].line)
}

func (p *rowParser) finish(r *pendingRow) {
	ind := r.Indicator
	ind.Evidence = p.doc.Evidence(r.start, r.end)
	p.t.Indicators = append(p.t.Indicators, ind)
}

// joinCells joins the lines of a wrapped cell; Chinese text joins without a
// space.
func joinCells(cs []cell) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(cs[i-1].text)
			next, _ := utf8.DecodeRuneInString(c.text)
			if prev < 0x80 && next < 0x80 && unicode.IsLetter(prev) && unicode.IsLetter(next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(c.text)
	}
	return b.String()
}

func isNoneWord(s string) bool {
	switch strings.TrimRight(strings.TrimSpace(s), "。") {
	case "无", "暂无", "无偏差", "—", "-", "/", "——", "没有":
		return true
	}
	return false
}

// headerText is every column title run together, to recognise the pieces of
// a header wrapped over lines (年度指标 / 值, 偏差原因分析 / 及改进措施).
var headerText = func() string {
	var b strings.Builder
	for w := range headerWords {
		b.WriteString(w)
		b.WriteByte('|')
	}
	return b.String()
}()

// headerWord returns the column a header cell names. Like the form's
// labels (dictionaries/form.txt), a title of five characters or more is
// matched with one character misread (实际完成什 is 实际完成值, as OCR reads
// it); a shorter one is not, for 时效指标 is a category one slip from the
// title 绩效指标.
func headerWord(s string) (field, bool) {
	s = stripNote(s)
	if f, ok := headerWords[s]; ok {
		return f, true
	}
	if utf8.RuneCountInString(s) < 5 {
		return fNone, false
	}
	found, n := fNone, 0
	for w, f := range headerWords {
		if utf8.RuneCountInString(w) >= 5 && oneSlip(s, w) {
			found, n = f, n+1
		}
	}
	return found, n == 1
}

func isHeaderWord(s string) bool {
	_, ok := headerWord(s)
	return ok
}

func isHeaderFragment(s string) bool {
	s = stripNote(s)
	return s != "" && !strings.Contains(s, "|") && strings.Contains(headerText, s)
}

// stripNote drops a bracketed note from a column title: 分值（分）.
func stripNote(s string) string {
	if i := strings.IndexAny(s, "（("); i > 0 && (strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")")) {
		return s[:i]
	}
	return s
}

// mergeFragments joins cells that wrapped onto a line of their own: a lone
// % after a number (94.22 / %), a category name (产出指 / 标, 服务对象满意 /
// 度指标), and in the flow layout any short tail after a lone fragment
// (≥300万人 / 次, 进一步提 / 升).
func mergeFragments(cells []cell, flow bool) []cell {
	var out []cell
	for _, c := range cells {
		if n := len(out); n > 0 && c.line > out[n-1].line && c.alone && joinsPrevious(out[n-1], c, flow) {
			out[n-1].tailJoined = !isCategory(out[n-1].text + c.text)
			out[n-1].text += c.text
			out[n-1].end = c.end
			out[n-1].line = c.line
			continue
		}
		out = append(out, c)
	}
	return out
}

func joinsPrevious(prev, c cell, flow bool) bool {
	if c.text == "%" || c.text == "％" {
		last, _ := utf8.DecodeLastRuneInString(prev.text)
		return last >= '0' && last <= '9'
	}
	if !prev.alone || document.ClosesStatement(prev.text) || isNoneWord(prev.text) || isNoneWord(c.text) {
		return false
	}
	if !isCategory(c.text) && !strings.HasSuffix(prev.text, "指标") && isCategory(prev.text+c.text) {
		return true
	}
	if document.IsUnitTail(c.text) && strings.ContainsAny(prev.text, "0123456789") && !isNumberCell(prev.text) && !strings.HasSuffix(prev.text, "%") {
		return true // ≥420万人 / 次: a figure's unit wrapped
	}
	if !flow || prev.tailJoined || isCategory(prev.text) || isNumberCell(prev.text) || strings.HasSuffix(prev.text, "%") ||
		moneyHead(c.text) != "" || isHeaderWord(c.text) {
		return false
	}
	tail := strings.TrimRight(c.text, "。；，")
	if tail == "" || utf8.RuneCountInString(tail) > 3 || strings.ContainsAny(tail, "0123456789") {
		return false
	}
	return utf8.RuneCountInString(tail) <= 2 || strings.ContainsAny(prev.text, "0123456789")
}
