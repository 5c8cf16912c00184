package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
)

// identity is who reports on what, for which year.
type identity struct {
	Organization, Project, Kind string
	Year                        int
	OrgAt, ProjectAt, YearAt    int // byte offsets of the evidence, -1 when none
	OrgLen, ProjectLen, YearLen int
}

var (
	// titleRe reads a report title: [org|project] 2022年度 [org|project]
	// (项目支出|部门整体支出)? 绩效自评报告.
	titleRe = regexp.MustCompile(`^(.*?)((?:19|20)\d{2})\s*年度?(.*?)(部门整体支出|整体支出|支出)?绩效(?:自评|自我评价|评价)(?:报告)?$`)
	// orgSuffixRe recognises the end of a body's name.
	orgSuffixRe = regexp.MustCompile(`(委员会|联合会|协会|总会|红十字会|管理局|局|厅|委|办公室|办|中心|研究院|院|馆|站|所|处|队|会|部|署|政府|学校|大学|学院)$`)
	// orgRe finds names of government bodies in running text.
	orgRe        = regexp.MustCompile(`(?:新疆维吾尔|宁夏回族|广西壮族|西藏|内蒙古)?(?:自治区|\p{Han}\p{Han}+?(?:省|市|县|州|盟|旗|区)|省|市|县|州|区)\p{Han}\p{Han}+?(?:委员会|联合会|协会|总会|红十字会|管理局|局|厅|委|办公室|中心|院|馆|站|所|队|会)`)
	notOrgRe     = regexp.MustCompile(`财政|党委|政府|人大|政协|审计|纪委|监委|人民代表|党组|国库|社区|园区|景区|小区|城区|灾区|库区|牧区|山区|片区|项目区|补助|资金|项目|建设|用于|服务中心`)
	projectRe    = regexp.MustCompile(`([\p{Han}（）()]{3,30}?(?:项目|专项资金|专项经费|专项|补助资金|资金|经费|业务费))(?:是|为|系|由|主要|年初)`)
	yearRe       = regexp.MustCompile(`((?:19|20)\d{2})\s*年度`)
	deptKindRe   = regexp.MustCompile(`部门整体支出|整体支出绩效`)
	projectEndRe = regexp.MustCompile(`(项目|专项|资金|经费|业务费|工程|行动)$`)
)

// readIdentity reads organisation, project, kind and year from the title,
// the table's header cells and the body text.
func readIdentity(ps []para, doc *document.Doc, body string, table *Table) identity {
	id := identity{OrgAt: -1, ProjectAt: -1, YearAt: -1}
	text := doc.Text
	if t, at, ok := findTitle(ps); ok {
		id.fromTitle(t, at)
	}
	if id.Kind == "" {
		id.Kind = "project"
		if loc := deptKindRe.FindStringIndex(firstChars(body, 3000)); loc != nil || table != nil && table.Kind == "department" {
			id.Kind = "department"
		}
	}
	if id.Year == 0 {
		id.Year, id.YearAt, id.YearLen = likelyYear(body)
	}
	if id.Year == 0 && table != nil && table.Year != 0 {
		// A table on its own says its year under its title: （2022年度）.
		e := table.Evidence["year"]
		id.Year, id.YearAt, id.YearLen = table.Year, e.Offset, len(e.Quote)
	}
	id.Organization, id.OrgAt, id.OrgLen = bestOrganization(text, orgWindows(doc, table), id.Organization, id.OrgAt)
	if id.Kind == "project" && id.Project == "" {
		id.findProject(body, table)
	}
	if id.Kind == "department" {
		id.Project, id.ProjectAt = "", -1
	}
	return id
}

func firstChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// findTitle is the line naming the report: among the first lines before the
// first heading, one that says 绩效自评报告 (or 绩效评价报告).
func findTitle(ps []para) (string, int, bool) {
	for i, p := range ps {
		if i > 6 {
			break
		}
		t := strings.TrimSpace(p.Text)
		if _, ok := parseHeading(t); ok {
			break
		}
		if strings.Contains(t, "绩效") && (strings.Contains(t, "报告") || strings.HasSuffix(t, "自评")) && utf8.RuneCountInString(t) <= 70 {
			return t, p.Start + strings.Index(p.Text, t), true
		}
	}
	return "", 0, false
}

func (id *identity) fromTitle(t string, at int) {
	// 关于…绩效自评的报告, …报告（伊宁县农业农村局）: the title's glue.
	t = strings.TrimSpace(t)
	if strings.HasSuffix(t, "）") || strings.HasSuffix(t, ")") {
		if i := strings.LastIndexAny(t, "（("); i > 0 {
			t = strings.TrimSpace(t[:i])
		}
	}
	t = strings.TrimSuffix(strings.TrimSuffix(t, "报告"), "的")
	m := titleRe.FindStringSubmatchIndex(t)
	if m == nil {
		return
	}
	pre, post := strings.TrimSuffix(strings.TrimSpace(t[m[2]:m[3]]), "关于"), strings.TrimSpace(t[m[6]:m[7]])
	id.Year, _ = strconv.Atoi(t[m[4]:m[5]])
	id.YearAt, id.YearLen = at+m[4], m[5]-m[4]
	kindWord := ""
	if m[8] >= 0 {
		kindWord = t[m[8]:m[9]]
	}
	id.Kind = "project"
	if strings.Contains(kindWord, "整体") || strings.Contains(t, "部门整体") {
		id.Kind = "department"
	}
	for _, c := range []struct {
		s   string
		off int
	}{{pre, at + m[2]}, {post, at + m[6]}} {
		if c.s == "" {
			continue
		}
		switch {
		case id.Kind == "department" && id.Organization == "":
			id.Organization, id.OrgAt, id.OrgLen = c.s, c.off, len(c.s)
		case orgSuffixRe.MatchString(c.s) && !looksLikeProject(c.s) && id.Organization == "":
			id.Organization, id.OrgAt, id.OrgLen = c.s, c.off, len(c.s)
		case id.Project == "":
			id.Project, id.ProjectAt, id.ProjectLen = cleanProject(c.s), c.off, len(c.s)
		}
	}
}

func looksLikeProject(s string) bool {
	return projectEndRe.MatchString(s)
}

// cleanProject drops the words a title wraps a project name in, so one
// project is named alike every year: 高标准农田建设项目支出 → 高标准农田建设项目,
// 公共文化服务体系建设专项项目支出 → 公共文化服务体系建设专项.
func cleanProject(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"绩效", "支出"} {
		s = strings.TrimSuffix(s, suf)
	}
	if base, ok := strings.CutSuffix(s, "项目"); ok && genericEndRe.MatchString(base) {
		s = base
	}
	return s
}

// genericEndRe: a name that already says what kind of money it is; a 项目
// after it is the title's word, not the name's.
var genericEndRe = regexp.MustCompile(`(专项|资金|经费|业务费|补助)$`)

// bestOrganization picks the body most often named in the text, preferring
// the fullest form of a name (宁夏回族自治区文化和旅游厅 over 自治区文化和旅游厅),
// starting from the title's name when there is one.
// orgChars: a line naming a body holds one of its name's last characters.
const orgChars = "局厅委会办心院馆站所队"

// orgWindows are where a body names itself: its opening pages, the
// signature above its date, and the header cells of its self-evaluation
// table (主管部门, 实施单位); elsewhere the text names the bodies it reports to.
func orgWindows(doc *document.Doc, table *Table) [][2]int {
	head := len(firstChars(doc.Text, 2000))
	w := [][2]int{{0, head}}
	end := len(doc.Text)
	if table != nil {
		tEnd := table.Start + len(firstChars(doc.Text[table.Start:table.End], 1500))
		w = append(w, [2]int{table.Start, tEnd})
		if table.End == len(doc.Text) {
			end = table.Start // the signature stands before a closing table
		}
	}
	if sig := lastChars(doc.Text[:end], 600); end > head {
		w = append(w, [2]int{max(head, end-len(sig)), end})
	}
	return w
}

func lastChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

func bestOrganization(text string, windows [][2]int, fromTitle string, titleAt int) (string, int, int) {
	type cand struct {
		name  string
		count int
		at    int
	}
	var cs []*cand
	index := map[string]*cand{}
	var locs [][]int
	for _, w := range windows {
		for _, loc := range findInChars(orgRe, text[w[0]:w[1]], orgChars, -1) {
			locs = append(locs, []int{loc[0] + w[0], loc[1] + w[0]})
		}
	}
	for _, loc := range locs {
		name, off := trimOrgPrefix(text[loc[0]:loc[1]])
		loc[0] += off
		if n := utf8.RuneCountInString(name); n < 4 || n > 24 || notOrgRe.MatchString(name) {
			continue
		}
		c := index[name]
		if c == nil {
			c = &cand{name: name, at: loc[0]}
			index[name] = c
			cs = append(cs, c)
		}
		c.count++
	}
	if fromTitle != "" {
		// The title names the body; use the fullest form the text gives.
		best, at := fromTitle, titleAt
		for _, c := range cs {
			if strings.HasSuffix(c.name, fromTitle) && len(c.name) > len(best) {
				best, at = c.name, c.at
			}
		}
		return best, at, len(best)
	}
	var best *cand
	score := func(c *cand) int {
		n := c.count
		for _, o := range cs {
			if o != c && strings.HasSuffix(c.name, o.name) {
				n += o.count // a fuller name counts its short forms
			}
		}
		return n
	}
	for _, c := range cs {
		if best == nil || score(c) > score(best) || score(c) == score(best) && len(c.name) > len(best.name) {
			best = c
		}
	}
	if best == nil {
		return "", -1, 0
	}
	return best.name, best.at, len(best.name)
}

// findProject looks for the project's name where there is no title: the
// table's 项目名称 cell, else a sentence "X项目是…".
func (id *identity) findProject(body string, table *Table) {
	if table != nil && utf8.RuneCountInString(table.Project) >= 3 {
		e := table.Evidence["project"]
		id.Project, id.ProjectAt, id.ProjectLen = table.Project, e.Offset, len(e.Quote)
		return
	}
	if m := findFirst(projectRe, body, "项目", "专项", "资金", "经费", "业务费"); m != nil {
		id.Project = strings.TrimLeft(body[m[2]:m[3]], "（）()")
		id.ProjectAt, id.ProjectLen = m[2], m[3]-m[2]
	}
}

// orgStopChars cannot be part of a place name: a match that runs on from
// the words before it ("项目是伊宁县…", "全面推进自治区…") is cut after them.
const orgStopChars = "是在进推的为由对向经按据将把与及了我其各全面和等年度月日会局厅委府级、"

var provinceRe = regexp.MustCompile(`^(新疆维吾尔|宁夏回族|广西壮族|西藏|内蒙古)$`)

// regionRe finds the place word a body's name hangs on.
var regionRe = regexp.MustCompile(`自治区|省|市|县|州|盟|旗|区`)

// trimOrgPrefix cuts words that precede a body's name, returning the name and
// how many bytes were cut.
func trimOrgPrefix(name string) (string, int) {
	if i := strings.Index(name, "自治区"); i > 0 && !provinceRe.MatchString(name[:i]) {
		return name[i:], i
	}
	loc := regionRe.FindStringIndex(name)
	if loc == nil {
		return name, 0
	}
	prefix := name[:loc[0]]
	cut := strings.LastIndexAny(prefix, orgStopChars)
	if cut < 0 {
		return name, 0
	}
	_, w := utf8.DecodeRuneInString(prefix[cut:])
	return name[cut+w:], cut + w
}

// anyYearRe finds years the text names, and the words that make a year not
// the evaluated one (document numbers, comparisons).
var anyYearRe = regexp.MustCompile(`(〔|\[|较|比|与|自|从)?\s*((?:19|20)\d{2})\s*(年度|年)`)

// likelyYear is the evaluated year of a report without a title: the first
// 20XX年度, else the year named most often (ties: the earliest named).
func likelyYear(body string) (int, int, int) {
	if loc := findFirst(yearRe, body, "年度"); loc != nil {
		y, _ := strconv.Atoi(body[loc[2]:loc[3]])
		return y, loc[2], loc[3] - loc[2]
	}
	count := map[int]int{}
	first := map[int]int{}
	for _, m := range findIn(anyYearRe, body, []string{"年"}, -1) {
		if m[2] >= 0 {
			continue
		}
		y, _ := strconv.Atoi(body[m[4]:m[5]])
		if _, ok := first[y]; !ok {
			first[y] = m[4]
		}
		count[y]++
	}
	best := 0
	for y, n := range count {
		if best == 0 || n > count[best] || n == count[best] && first[y] < first[best] {
			best = y
		}
	}
	if best == 0 {
		return 0, -1, 0
	}
	return best, first[best], 4
}
