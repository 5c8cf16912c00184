package extract

import (
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/money"
	"github.com/jixiao/jixiao/internal/vocab"
	"github.com/jixiao/jixiao/pipeline"
)

// ---- header cells ----

// codePrefix is the budget code some forms put before a body's name
// (219001-某县第一中学).
var codePrefix = regexp.MustCompile(`^[0-9A-Za-z]{3,}[-—_－]\s*`)

// readHeaderCells reads the form's header: 项目名称, 主管部门, 实施单位 (or
// 部门（单位）名称), each the cell after its label or after the colon in
// its own cell, and the year under the title: （2022年度）.
func readHeaderCells(doc *document.Doc, t *Table, cells []cell) {
	for i, c := range cells {
		class, value, ok := labelValue(c.text, "project", "supervisor", "implementer")
		at := c
		if !ok {
			class, _ = labelOf(c.text, "project", "supervisor", "implementer")
			if class == "" || i+1 >= len(cells) || anyFormLabel(cells[i+1].text) || isValueCell(cells[i+1].text) {
				continue
			}
			at = cells[i+1]
			value = at.text
		}
		value = codePrefix.ReplaceAllString(strings.TrimSpace(value), "")
		if value == "" {
			continue
		}
		start := at.start + strings.Index(doc.Text[at.start:at.end], value)
		if start < at.start {
			start = at.start
		}
		switch class {
		case "project":
			t.setOnce(&t.Project, value, "project", doc.Evidence(start, start+len(value)))
		case "supervisor":
			t.setOnce(&t.Supervisor, value, "supervisor", doc.Evidence(start, start+len(value)))
		case "implementer":
			t.setOnce(&t.Organization, value, "organization", doc.Evidence(start, start+len(value)))
		}
	}
	for _, c := range cells[:min(len(cells), 3)] {
		if p, at := titleSuffix(c.text); p != "" && t.Project == "" {
			t.Project = p
			t.Evidence["project"] = doc.Evidence(c.start+at, c.start+at+len(p))
		}
		switch {
		case t.Kind != "":
		case strings.Contains(c.text, "部门整体") || strings.Contains(c.text, "整体支出"):
			t.Kind = pipeline.KindDepartment
		case strings.Contains(c.text, "项目支出") && strings.Contains(c.text, "表"):
			t.Kind = pipeline.KindProject
		}
	}
	for _, d := range doc.Dates {
		if d.Fiscal() && len(cells) > 0 && d.Start >= cells[0].start && d.Start <= cells[len(cells)-1].end {
			t.Year = d.Year
			t.Evidence["year"] = doc.Evidence(d.Start, d.End)
			break
		}
	}
}

// formTitleSuffix: a form's title followed by its year and the project it
// is the form of: 项目支出绩效自评表（2022年度）公用经费.
var formTitleSuffix = regexp.MustCompile(vocab.Form.Pattern("title") + `\s*[（(]\s*(?:19|20)\d{2}\s*年度?\s*[）)]\s*(\S.*)$`)

// titleSuffix returns the project named after a form's title and year, and
// its offset in s; "" when there is none.
func titleSuffix(s string) (string, int) {
	m := formTitleSuffix.FindStringSubmatchIndex(s)
	if m == nil {
		return "", 0
	}
	p := strings.Trim(s[m[2]:m[3]], " |")
	if utf8.RuneCountInString(p) < 2 || anyFormLabel(p) {
		return "", 0
	}
	return p, m[2]
}

func (t *Table) setOnce(field *string, value, key string, ev pipeline.Evidence) {
	if *field == "" {
		*field = value
		t.Evidence[key] = ev
	}
}

// joinWrappedLabels joins a label a narrow column wrapped over two or three
// lines (项目名 / 称, 项目资 / 金（万 / 元）) back into one cell.
func joinWrappedLabels(cells []cell) []cell {
	out := make([]cell, 0, len(cells))
	for i := 0; i < len(cells); i++ {
		c := cells[i]
		if c.alone && !anyFormLabel(c.text) {
			for k := 2; k <= 3 && i+k <= len(cells); k++ {
				run := cells[i : i+k]
				if !wrappedRun(run) {
					break
				}
				text := ""
				for _, r := range run {
					text += r.text
				}
				if anyFormLabel(text) {
					c.text, c.end, c.line = text, run[k-1].end, run[k-1].line
					i += k - 1
					break
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// wrappedRun: cells alone on consecutive lines, short enough to be the
// pieces of one wrapped label.
func wrappedRun(run []cell) bool {
	for k, r := range run {
		if !r.alone || utf8.RuneCountInString(r.text) > 6 || k > 0 && r.line != run[k-1].line+1 {
			return false
		}
	}
	return true
}

// ---- grade ----

// checkboxRe reads a row of grade boxes: ☑优 □良 □中 □差, and the Wingdings
// reading of the same boxes in OCR and Word text, R优 £良 £中 £差 (R a ticked
// box, £ an empty one).
var (
	tickedBox = regexp.MustCompile(`(?:[☑✓✔√■☒▣]\s*|R)(优秀|良好|中等|较差|优|良|中|差)`)
	emptyBox  = regexp.MustCompile(`[□☐£]\s*(?:优秀|良好|中等|较差|优|良|中|差)`)
)

// Checkbox reads the ticked grade of a checkbox row; "" when the text is
// not one (an empty box must stand beside the ticked one, so a stray R
// before 优 is no tick).
func Checkbox(s string) (grade string, at, end int) {
	m := tickedBox.FindStringSubmatchIndex(s)
	if m == nil || !emptyBox.MatchString(s) && !strings.ContainsAny(s[m[0]:m[2]], "☑✓✔√■☒▣") {
		return "", -1, -1
	}
	return gradeWords[s[m[2]:m[3]]], m[0], m[1]
}

// readGrade reads the grade boxes after the form's grade label (自评等级).
func readGrade(doc *document.Doc, t *Table, cells []cell) {
	for i, c := range cells {
		if !isLabel(c.text, "grade") {
			continue
		}
		var row []cell
		for _, n := range cells[i+1:] {
			if n.line > c.line+1 || anyFormLabel(n.text) {
				break
			}
			row = append(row, n)
		}
		if len(row) == 0 {
			continue
		}
		text := doc.Text[row[0].start:row[len(row)-1].end]
		if g, at, end := Checkbox(text); g != "" {
			t.Grade = g
			t.Evidence["grade"] = doc.Evidence(c.start, row[0].start+end)
			_ = at
			return
		}
		if g := gradeWords[strings.TrimSpace(row[0].text)]; g != "" {
			t.Grade = g
			t.Evidence["grade"] = doc.Evidence(c.start, row[0].end)
			return
		}
	}
}

// ---- problems ----

// readProblemCell reads the form's 存在问题 cell: the cell after its label,
// cut into items at list markers or ；.
func readProblemCell(doc *document.Doc, t *Table, cells []cell) {
	for i, c := range cells {
		if !isLabel(c.text, "problems") || i+1 >= len(cells) || anyFormLabel(cells[i+1].text) {
			continue
		}
		v := cells[i+1]
		t.Problems = splitItems(v.text)
		t.Evidence["problems"] = doc.Evidence(v.start, v.end)
		return
	}
}

// splitItems cuts a cell's text into its items: at list markers (1. （1）
// 一是), else at ；.
func splitItems(s string) []string {
	if items, ok := markedItems(s); ok {
		return items
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '；' || r == ';' }) {
		if it := cleanItem(p); it != "" && !isNoneWord(it) {
			out = append(out, it)
		}
	}
	return out
}

// ---- money rows ----

// moneyRow is a row of the money part: its label and its values by column
// ("planned", "adjusted", "executed", "weight", "rate", "score").
type moneyRow struct {
	label  cell
	values map[string]cell
	end    int // byte offset where the row's last value ends
}

// readGridMoney reads the money part of a grid by its header's columns.
func readGridMoney(doc *document.Doc, t *Table, rows [][]cell, cells []cell) {
	head := -1
	cols := map[int]string{}
	for i, r := range rows {
		found := map[int]string{}
		for _, c := range r {
			if k := moneyHead(c.text); k != "" {
				found[c.col] = k
			}
		}
		if len(found) >= 2 {
			head, cols = i, found
			break
		}
	}
	if head < 0 {
		return
	}
	var total *moneyRow
	var sources []moneyRow
	for _, r := range rows[head+1:] {
		label := -1
		for k, c := range r {
			if c.text != "" && isLabel(c.text, "row_total", "row_source") {
				label = k
				break
			}
		}
		if label < 0 {
			if total != nil {
				break
			}
			continue
		}
		mr := moneyRow{label: r[label], values: map[string]cell{}, end: r[label].end}
		shift := moneyShift(r, cols)
		for _, c := range r[label+1:] {
			if key, ok := cols[c.col+shift]; ok && c.text != "" && !isDash(c.text) {
				mr.values[key] = c
				mr.end = c.end
			}
		}
		if isLabel(r[label].text, "row_total") && total == nil {
			total = &mr
		} else if total != nil {
			sources = append(sources, mr)
		}
	}
	if total != nil {
		applyMoney(doc, t, moneyUnit(cells), *total, sources)
	}
}

// moneyShift is how many columns a money row stands left of its header: 0
// when it keeps a cell for every column; else its last value is matched to
// the header's last column (a copy that dropped the merged 项目资金 cell
// before the row's label).
func moneyShift(r []cell, cols map[int]string) int {
	last := -1
	for col := range cols {
		last = max(last, col)
	}
	if last < len(r) && r[last].text != "" {
		return 0
	}
	for j := len(r) - 1; j >= 0; j-- {
		if r[j].text != "" {
			if isValueCell(r[j].text) && last-r[j].col > 0 {
				return last - r[j].col
			}
			return 0
		}
	}
	return 0
}

// moneyUnit is the unit the money part's header names: 项目资金（万元）,
// 单位：元; "" when none.
func moneyUnit(cells []cell) string {
	for _, c := range cells {
		if m := unitLabel.FindStringSubmatch(c.text); m != nil {
			return m[1]
		}
		if _, w := labelOf(c.text, "money_head"); w != "" {
			if m := unitLabel.FindStringSubmatch(w); m != nil {
				return m[1] // 项目资金（万兀）: an OCR slip in the unit
			}
		}
	}
	return ""
}

// applyMoney takes the 年度资金总额 row's amounts and 预算执行率 figures, and
// each amount column of the funding-source rows under it as a breakdown of
// that column's total.
func applyMoney(doc *document.Doc, t *Table, unit string, total moneyRow, sources []moneyRow) {
	amounts := map[string]*pipeline.Amount{}
	for _, key := range []string{"planned", "adjusted", "executed"} {
		c, ok := total.values[key]
		if !ok || unit == "" {
			continue
		}
		a, err := money.ParseNumber(c.text, unit)
		if err != nil {
			continue
		}
		amounts[key] = &a
		t.Evidence[key] = doc.Evidence(c.start, c.end)
	}
	t.Planned, t.Adjusted, t.Executed = amounts["planned"], amounts["adjusted"], amounts["executed"]
	row := &pipeline.ExecutionRow{}
	if c, ok := total.values["weight"]; ok {
		row.Weight = decimalCell(c.text)
	}
	if c, ok := total.values["rate"]; ok {
		if d, ok := money.ParsePercent(c.text); ok {
			row.Rate = &d
		} else {
			row.Rate = decimalCell(c.text)
		}
	}
	if c, ok := total.values["score"]; ok {
		row.Score = decimalCell(c.text)
	}
	if row.Weight != nil || row.Rate != nil || row.Score != nil {
		row.Evidence = doc.Evidence(total.label.start, total.end)
		t.ExecutionRow = row
		t.Evidence["execution_row"] = row.Evidence
	}
	for _, key := range []string{"planned", "adjusted", "executed"} {
		if b, ok := fundingBreakdown(doc, unit, key, total, amounts[key], sources); ok {
			t.Funding = append(t.Funding, b)
		}
	}
}

// fundingBreakdown is one amount column of the funding-source rows (其中：
// 当年财政拨款, 上年结转资金, 其他资金) under the column's total; false when
// no source row fills that column.
func fundingBreakdown(doc *document.Doc, unit, key string, total moneyRow, sum *pipeline.Amount, sources []moneyRow) (pipeline.Breakdown, bool) {
	if sum == nil {
		return pipeline.Breakdown{}, false
	}
	b := pipeline.Breakdown{Total: *sum}
	tc := total.values[key]
	b.Evidence = doc.Evidence(total.label.start, tc.end)
	b.TotalQuote = b.Evidence.Quote
	for _, s := range sources {
		c, ok := s.values[key]
		if !ok {
			continue
		}
		a, err := money.ParseNumber(c.text, unit)
		if err != nil {
			continue
		}
		ev := doc.Evidence(s.label.start, c.end)
		label := strings.TrimPrefix(strings.TrimPrefix(foldLabel(s.label.text), "其中:"), "其中")
		b.Items = append(b.Items, pipeline.BreakdownItem{Label: label, Amount: a, Quote: ev.Quote, Evidence: ev})
	}
	return b, len(b.Items) > 0
}

// ---- OCR runs ----

// splitGlued cuts a row label from the figures OCR ran onto it
// (年度资金总额86.0079.4073.79 → 年度资金总额 | 86.0079.4073.79).
func splitGlued(cells []cell) []cell {
	var out []cell
	for _, c := range cells {
		i := strings.IndexFunc(c.text, func(r rune) bool { return r >= '0' && r <= '9' })
		if i <= 0 || !isLabel(c.text[:i], "row_total", "row_source") || !isRun(c.text[i:]) {
			out = append(out, c)
			continue
		}
		head, tail := c, c
		head.text, head.end = c.text[:i], c.start+i
		tail.text, tail.start = c.text[i:], c.start+i
		head.alone, tail.alone = false, false
		out = append(out, head, tail)
	}
	return out
}

var runRe = regexp.MustCompile(`^[0-9.,%]+$`)

func isRun(s string) bool {
	return runRe.MatchString(s) && strings.Count(s, ".")+strings.Count(s, "%") >= 1
}

// gluedToken is one figure inside a run OCR glued together: an integer
// part without a leading zero, one or two decimals, maybe a percent sign;
// or an integer percentage (100%).
var gluedToken = regexp.MustCompile(`^(?:(?:[1-9][0-9]*|0)\.[0-9]{1,2}%?|[1-9][0-9]*%|0%)`)

// readings lists the ways a cell's text reads as figures: a clean figure
// reads one way; a run of figures glued together (86.0081.7673.79, 92.93%9.29,
// 52.352.352.3100%) every way it splits into figures of one or two decimals.
func readings(s string) [][]string {
	if isValueCell(s) {
		return [][]string{{s}}
	}
	if !isRun(s) {
		return nil
	}
	var out [][]string
	var walk func(rest string, acc []string)
	walk = func(rest string, acc []string) {
		if len(out) >= 16 {
			return
		}
		if rest == "" {
			out = append(out, append([]string(nil), acc...))
			return
		}
		for _, n := range []int{2, 1} {
			m := gluedToken.FindString(rest)
			if m == "" {
				return
			}
			tok := shorten(m, n)
			if tok == "" {
				continue
			}
			walk(rest[len(tok):], append(acc, tok))
		}
	}
	walk(s, nil)
	return out
}

// shorten is the token m read with n decimals ("" when it has fewer, or
// when n changes nothing but m is an integer percentage read once).
func shorten(m string, n int) string {
	dot := strings.IndexByte(m, '.')
	if dot < 0 {
		if n == 2 {
			return m // 100%: read once
		}
		return ""
	}
	end := dot + 1 + n
	if end > len(m) || strings.ContainsRune(m[dot+1:end], '%') {
		return ""
	}
	if end < len(m) && m[end] == '%' {
		end++
	}
	return m[:end]
}

// expandValues reads the cells after a money row's label into figures, a
// glued run split the way that fits the header: as many figures as columns,
// and 执行数 ÷ 预算数 = 执行率 where the row states them.
func expandValues(vals []cell, heads []string) []cell {
	ways := [][]cell{nil}
	for _, v := range vals {
		rs := readings(v.text)
		if len(rs) == 0 {
			break
		}
		var next [][]cell
		for _, w := range ways {
			for _, r := range rs {
				next = append(next, append(append([]cell(nil), w...), pieces(v, r)...))
				if len(next) > 64 {
					break
				}
			}
		}
		ways = next
	}
	best, bestScore := ways[0], -1
	for _, w := range ways {
		score := 0
		if len(w) == len(heads) {
			score += 10
			if consistentRate(w, heads) {
				score += 5
			}
			if sameDecimals(w, heads) {
				score += 2
			}
		}
		if score > bestScore {
			best, bestScore = w, score
		}
	}
	return best
}

// pieces turns the figures read from a cell into cells of their own, each
// with its byte range inside the cell.
func pieces(c cell, figures []string) []cell {
	if len(figures) == 1 {
		return []cell{c}
	}
	var out []cell
	at := c.start
	for _, f := range figures {
		p := c
		p.text, p.start, p.end, p.alone = f, at, at+len(f), false
		out = append(out, p)
		at += len(f)
	}
	return out
}

// consistentRate: the 执行率 the row states is its 执行数 ÷ 全年预算数 (or ÷
// 年初预算数) within 0.1 point; true when the row does not state all three.
func consistentRate(vals []cell, heads []string) bool {
	get := map[string]string{}
	for i, h := range heads {
		get[h] = vals[i].text
	}
	rate, ok := money.ParsePercent(get["rate"])
	exec := decimalCell(get["executed"])
	if !ok || exec == nil {
		return true
	}
	for _, base := range []string{"adjusted", "planned"} {
		b := decimalCell(get[base])
		if b == nil || b.Units == 0 {
			continue
		}
		if base == "planned" && decimalCell(get["adjusted"]) != nil {
			break // the rate is of the adjusted budget when there is one
		}
		got := new(big.Rat).Quo(exec.Rat(), b.Rat())
		got.Mul(got, big.NewRat(100, 1))
		diff := new(big.Rat).Sub(got, rate.Rat())
		if diff.Abs(diff).Cmp(big.NewRat(1, 10)) <= 0 {
			return true
		}
	}
	return false
}

// sameDecimals: the row's amounts are printed to one precision, as a form
// prints them (52.3 52.3 52.3, not 52.35 2.3 52.3).
func sameDecimals(vals []cell, heads []string) bool {
	places := -1
	for i, h := range heads {
		if h != "planned" && h != "adjusted" && h != "executed" {
			continue
		}
		p := 0
		if dot := strings.IndexByte(vals[i].text, '.'); dot >= 0 {
			p = len(vals[i].text) - dot - 1
		}
		if places >= 0 && p != places {
			return false
		}
		places = p
	}
	return true
}

// ---- a web copy's cells, one per line ----

// regrid cuts a stream of cells that kept its empty cells (a web copy
// printing a form's cells one per line, "a |", a lone "|" for an empty one)
// into the form's rows: each part of the form (money, targets, indicators)
// has as many columns as its header row. Nil when no header row is seen.
func regrid(cs []document.Cell) [][]cell {
	var rows [][]cell
	var cur []cell
	width, seen := 0, false
	flush := func() {
		if len(cur) > 0 {
			rows = append(rows, cur)
			cur = nil
		}
	}
	for i, c := range cs {
		if w := sectionWidth(cs, i); w > 0 {
			flush()
			width, seen = w, true
		}
		cur = append(cur, cell{text: c.Text, start: c.Start, end: c.End, col: len(cur)})
		if width == 0 || len(cur) == width {
			flush()
		}
	}
	flush()
	if !seen {
		return nil
	}
	for i, r := range rows {
		n := 0
		for _, c := range r {
			if c.text != "" {
				n++
			}
		}
		for k := range r {
			r[k].line, r[k].alone = i, n == 1
		}
	}
	return rows
}

// sectionWidth: when cell i opens a header row of the form (项目资金（万元）
// … 得分, 年度总体目标 预期目标 实际完成情况, 绩效指标 一级指标 … 偏差原因分析),
// the row's width in cells; else 0.
func sectionWidth(cs []document.Cell, i int) int {
	var member func(string) bool
	switch {
	case isLabel(cs[i].Text, "money_head"):
		member = func(s string) bool { return moneyHead(s) != "" }
	case isLabel(cs[i].Text, "goal"):
		member = func(s string) bool { return isLabel(s, "goal") }
	case isLabel(cs[i].Text, "indicators"):
		member = isHeaderWord
	default:
		return 0
	}
	last, n := i, 0
	for j := i + 1; j < len(cs) && j < i+16; j++ {
		if cs[j].Empty() {
			continue
		}
		if !member(cs[j].Text) {
			break
		}
		last, n = j, n+1
	}
	if n < 2 {
		return 0
	}
	return last - i + 1
}

// ---- indicator rows of a grid ----

// readGridIndicators reads the indicator rows of a grid by the header row's
// columns. A 一级 or 二级指标 cell left empty (merged over the rows below
// it) carries down; the 预算执行率 row is not an indicator; the 总分 row
// ends the part.
func readGridIndicators(doc *document.Doc, t *Table, rows [][]cell, head int) {
	cols := map[int]field{}
	for _, c := range rows[head] {
		if f, ok := headerWord(c.text); ok && f != fNone {
			if _, seen := cols[c.col]; !seen {
				cols[c.col] = f
			}
		}
	}
	scoreCol := -1
	for col, f := range cols {
		if f == fScore {
			scoreCol = col
		}
	}
	var level1, level2 string
	for _, r := range rows[head+1:] {
		if label, nums := totalRow(r); label != nil {
			readTotal(doc, t, append([]cell{*label}, nums...))
			return
		}
		shift := rowShift(r, scoreCol)
		f := map[field]cell{}
		for _, c := range r {
			if k, ok := cols[c.col+shift]; ok && c.text != "" {
				f[k] = c
			}
		}
		if c, ok := f[fLevel1]; ok && c.text != level1 {
			level1, level2 = c.text, ""
		}
		if c, ok := f[fLevel2]; ok {
			level2 = c.text
		}
		name, hasName := f[fLevel3]
		weight, score := f[fWeight], f[fScore]
		if !hasName || decimalCell(weight.text) == nil && decimalCell(score.text) == nil {
			continue
		}
		ind := pipeline.Indicator{Level1: level1, Level2: level2, Level3: name.text,
			Target: f[fTarget].text, Actual: f[fActual].text,
			Weight: decimalCell(weight.text), Score: decimalCell(score.text), Deviation: f[fDeviation].text}
		end := name.end
		for _, c := range r {
			if c.text != "" && c.end > end && c.col <= score.col {
				end = c.end
			}
		}
		ind.Evidence = doc.Evidence(name.start, end)
		if isExecutionRow(ind.Level3) {
			p := &rowParser{doc: doc, t: t}
			p.executionRow(&pendingRow{Indicator: ind, start: name.start, end: end})
			continue
		}
		t.Indicators = append(t.Indicators, ind)
	}
}

// rowShift is how many columns a row stands left of the header: 0 when it
// keeps a cell for every column; else the row omitted the cells a merged
// cell spans (a copy that drops them, 救灾物资仓储批次 | ≥4批次 | 4批次 | 5 | 5),
// and its weight and score, the last two figures side by side, are matched
// to the header's 分值 and 得分.
func rowShift(r []cell, scoreCol int) int {
	if scoreCol < 0 || scoreCol < len(r) && isNumberCell(r[scoreCol].text) {
		return 0
	}
	for j := len(r) - 1; j >= 1; j-- {
		if isNumberCell(r[j].text) && isNumberCell(r[j-1].text) {
			if shift := scoreCol - r[j].col; shift > 0 {
				return shift
			}
			return 0
		}
	}
	return 0
}

// totalRow: a row whose first cell is the 总分 label, and its figures.
func totalRow(r []cell) (*cell, []cell) {
	for i, c := range r {
		if c.text == "" {
			continue
		}
		if !totalLabel.MatchString(c.text) {
			return nil, nil
		}
		var nums []cell
		for _, n := range r[i+1:] {
			if isNumberCell(n.text) {
				nums = append(nums, n)
			}
		}
		return &r[i], nums
	}
	return nil, nil
}
