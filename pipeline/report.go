package pipeline

// Schema is the identifier of the extraction contract this package writes.
const Schema = "jixiao.extract/v1"

// Extraction is one document read end to end: the JSON object of
// `jixiao extract --format json` (see shared/spec/extract-v1.md).
type Extraction struct {
	Schema   string    `json:"schema"`
	Source   Source    `json:"source"`
	Report   Report    `json:"report"`
	Findings []Finding `json:"findings"`
	// Audit is the indicator table re-scored row by row; nil when the
	// report has no indicator table.
	Audit *IndicatorAudit `json:"indicator_audit,omitempty"`
	// Text is the normalised text the evidence quotes point into. It is not
	// printed by extract; the store and the HTML report use it.
	Text string `json:"-"`
	// Positions map Text back to the source: each says that Text from its
	// Offset on came from its Line and Page. The stages after extraction
	// (the cross-year rules) place their quotes with it. The stores keep
	// it beside the text; nil for a report stored before they did.
	Positions []Position `json:"-"`
}

// Position says that the normalised text from Offset on (to the next
// Position) came from source line Line on page Page.
type Position struct {
	Offset, Line, Page int
}

// Where returns the source line and page of a byte offset of Text, and
// false when the extraction carries no position map.
func (e *Extraction) Where(offset int) (line, page int, ok bool) {
	ps := e.Positions
	if len(ps) == 0 {
		return 0, 0, false
	}
	lo, hi := 0, len(ps)
	for lo < hi { // the last position at or before offset
		mid := (lo + hi) / 2
		if ps[mid].Offset <= offset {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return 1, 0, true
	}
	return ps[lo-1].Line, ps[lo-1].Page, true
}

// Source says what file the text came from and what produced the text.
type Source struct {
	Name      string `json:"name"`
	SHA256    string `json:"sha256"`
	Format    string `json:"format"` // "text" | "pdf" | "docx" | "xlsx" | "doc" | "xls" | "wps"
	Pages     int    `json:"pages"`
	Chars     int    `json:"chars"`
	Extractor string `json:"extractor"`
	Encoding  string `json:"encoding,omitempty"`
	// Sheet is the worksheet a workbook's report stands on ("" for other
	// files, and for a workbook read as one report because no sheet holds
	// a form).
	Sheet string `json:"sheet,omitempty"`
	// Form is the place of the report's form on its sheet, counted from 1,
	// when the sheet holds several forms; 0 otherwise. Sheet and Form tell
	// the reports of one workbook apart: the store keys them by both.
	Form int `json:"form,omitempty"`
	// OCR is set when some pages were recognised from images: the mean
	// word confidence of each such page.
	OCR *OCRInfo `json:"ocr,omitempty"`
}

// OCRInfo says how sure OCR was of each page it read.
type OCRInfo struct {
	Pages []OCRPage `json:"pages"`
}

// OCRPage is one recognised page and its mean word confidence (0–100).
type OCRPage struct {
	Page       int     `json:"page"`
	Confidence float64 `json:"confidence"`
}

// Report kinds.
const (
	KindProject    = "project"
	KindDepartment = "department"
)

// Report holds the figures and lists read from one self-evaluation report.
type Report struct {
	Organization string      `json:"organization"`
	Project      string      `json:"project"`
	Kind         string      `json:"kind"`
	Year         int         `json:"year"`
	Budget       Budget      `json:"budget"`
	LineItems    []LineItem  `json:"line_items"`
	Breakdowns   []Breakdown `json:"breakdowns"`
	Indicators   []Indicator `json:"indicators"`
	// ExecutionRow is the 预算执行率 row of the self-evaluation table
	// (weight, rate, score); nil when the table has none.
	ExecutionRow *ExecutionRow `json:"execution_row,omitempty"`
	// TableTotal is the 总分 row of the self-evaluation table; nil when absent.
	TableTotal  *Decimal  `json:"table_total,omitempty"`
	Score       *Decimal  `json:"score"`
	Grade       string    `json:"grade"`
	Problems    []string  `json:"problems"`
	Suggestions []string  `json:"suggestions"`
	Sections    []Section `json:"sections"`
	Dates       []Date    `json:"dates"`
	// Evidence of the scalar fields, keyed by field name ("organization",
	// "project", "year", "planned", "adjusted", "executed",
	// "execution_rate", "score", "grade", "problems").
	Evidence map[string]Evidence `json:"evidence,omitempty"`
}

// Budget is the money of the evaluated year. Nil means not stated.
type Budget struct {
	Planned       *Amount  `json:"planned_yuan"`
	Adjusted      *Amount  `json:"adjusted_yuan"`
	Executed      *Amount  `json:"executed_yuan"`
	ExecutionRate *Decimal `json:"execution_rate"`
}

// LineItem is one purpose the main budget was allocated to.
type LineItem struct {
	Purpose  string   `json:"purpose"`
	Amount   Amount   `json:"yuan"`
	Evidence Evidence `json:"evidence"`
}

// Breakdown is a stated total followed by its parts.
type Breakdown struct {
	Total      Amount          `json:"total_yuan"`
	TotalQuote string          `json:"total_quote"`
	Evidence   Evidence        `json:"evidence"`
	Items      []BreakdownItem `json:"items"`
}

// BreakdownItem is one part of a breakdown.
type BreakdownItem struct {
	Label    string   `json:"label"`
	Amount   Amount   `json:"yuan"`
	Quote    string   `json:"quote"`
	Evidence Evidence `json:"evidence"`
}

// Indicator is one row (三级指标) of the self-evaluation table. Weight and
// Score are nil when the cell is empty or unreadable.
type Indicator struct {
	Level1    string   `json:"level1"`
	Level2    string   `json:"level2"`
	Level3    string   `json:"level3"`
	Target    string   `json:"target"`
	Actual    string   `json:"actual"`
	Weight    *Decimal `json:"weight"`
	Score     *Decimal `json:"score"`
	Deviation string   `json:"deviation"`
	Evidence  Evidence `json:"evidence"`
}

// ExecutionRow is the 预算执行率 row of the self-evaluation table.
type ExecutionRow struct {
	Weight   *Decimal `json:"weight"`
	Rate     *Decimal `json:"rate"` // percent as printed in the table
	Score    *Decimal `json:"score"`
	Evidence Evidence `json:"evidence"`
}

// Section is one numbered heading of the report outline.
type Section struct {
	Number string `json:"number"` // "一", "（一）", "1"
	Value  int    `json:"value"`  // the number's value: 1 for 一 and （一）
	Level  int    `json:"level"`  // 1 for 一、, 2 for （一）, 3 for 1.
	Title  string `json:"title"`
	// Canonical is the template section this heading stands for
	// ("basic", "work", "conclusion", "analysis", "experience", "problems",
	// "suggestions", "other"), "" when it matches none.
	Canonical string `json:"canonical,omitempty"`
	Line      int    `json:"line"`
	Page      int    `json:"page,omitempty"`
	Offset    int    `json:"-"` // byte offset in the normalised text
}

// Date is a year-month (and day when written) mentioned in the text.
type Date struct {
	Quote string `json:"quote"`
	Year  int    `json:"year"`
	Month int    `json:"month"`
	Day   int    `json:"day,omitempty"`
	Line  int    `json:"line"`
	Page  int    `json:"page,omitempty"`
}

// Evidence is where a figure was read: an exact substring of the normalised
// text (≤ 80 characters), its 1-based source line, and page (0 if unknown).
type Evidence struct {
	Quote  string `json:"quote"`
	Page   int    `json:"page"`
	Line   int    `json:"line"`
	Offset int    `json:"offset"` // byte offset of Quote in the normalised text
	// Sources with addresses of their own add them: the paragraph of a Word
	// document (1-based), the sheet and cell of a workbook ("D7").
	Paragraph int    `json:"paragraph,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
	Cell      string `json:"cell,omitempty"`
	// Confidence is OCR's for a scanned source: the lowest word confidence
	// (0–100) inside the quote; absent for text that was not recognised.
	Confidence float64 `json:"confidence,omitempty"`
}

// OCRSure is the OCR confidence (0–100) under which a recognised figure is
// not trusted: Tesseract reads clear print at 90 and more, a stroke under
// a seal or a smudged digit far lower.
const OCRSure = 80

// Unsure reports evidence OCR read with a confidence under OCRSure; text
// that was not recognised from an image is never unsure.
func (e Evidence) Unsure() bool { return e.Confidence > 0 && e.Confidence < OCRSure }

// Severities of findings, from the most to the least serious.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// SeverityRank orders severities: error 3, warning 2, info 1, unknown 0.
func SeverityRank(s string) int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Finding is one inconsistency found in a report.
type Finding struct {
	Rule     string     `json:"rule"`
	Severity string     `json:"severity"`
	Message  string     `json:"message"`
	Values   Values     `json:"values,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// IndicatorAudit is the self-evaluation table re-scored the way a reviewer
// does it: each row's target and actual read, met or missed, proportional
// score beside the stated one.
type IndicatorAudit struct {
	Rows            []AuditRow `json:"rows"`
	StatedTotal     *Decimal   `json:"stated_total"`
	RecomputedTotal *Decimal   `json:"recomputed_total"`
}

// AuditRow is one re-scored indicator row (or the 预算执行率 row).
type AuditRow struct {
	Name       string   `json:"name"`
	Target     string   `json:"target"`
	Actual     string   `json:"actual"`
	Status     string   `json:"status"` // "met" | "missed" | "qualitative" | "unverifiable" | "unknown"
	Weight     *Decimal `json:"weight"`
	Stated     *Decimal `json:"stated"`
	Recomputed *Decimal `json:"recomputed"`
	Difference *Decimal `json:"difference"`
	Arithmetic string   `json:"arithmetic"` // the working, in Chinese
	Evidence   Evidence `json:"evidence"`
}

// NewExtraction returns an extraction with every list non-nil, so the JSON
// has [] rather than null for lists.
func NewExtraction() *Extraction {
	return &Extraction{
		Schema:   Schema,
		Findings: []Finding{},
		Report: Report{
			LineItems:   []LineItem{},
			Breakdowns:  []Breakdown{},
			Indicators:  []Indicator{},
			Problems:    []string{},
			Suggestions: []string{},
			Sections:    []Section{},
			Dates:       []Date{},
		},
	}
}
