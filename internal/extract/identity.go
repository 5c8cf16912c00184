package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

// identity is who reports on what, for which year.
type identity struct {
	Organization, Project, Kind string
	Year                        int
	OrgAt, ProjectAt, YearAt    int // byte offsets of the evidence, -1 when none
	OrgLen, ProjectLen, YearLen int
}

// named is a name read from the text and where it stands.
type named struct {
	text string
	at   int // byte offset in Doc.Text, -1 when unknown
}

func (n named) ok() bool { return n.text != "" }

var (
	// titleRe reads a report title: [org|project] 2022年度 [org|project]
	// (项目支出|部门整体支出)? 绩效自评(情况)?(报告|表).
	titleRe = regexp.MustCompile(`^(.*?)((?:19|20)\d{2})\s*年度?(.*?)(部门整体支出|整体支出|部门整体|支出)?(?:预算)?绩效(?:自评|自我评价|评价|目标自评|目标完成)(?:情况|结果)?(?:表)?$`)
	// bodyEndRe finds where a body's name may end.
	bodyEndRe = regexp.MustCompile(vocab.Bodies.Pattern("suffix"))
	// orgRe finds names of government bodies in running text: a place and
	// the name's ending.
	orgRe       = regexp.MustCompile(`(?:新疆维吾尔|宁夏回族|广西壮族|西藏|内蒙古)?(?:自治区|\p{Han}\p{Han}+?(?:省|市|县|州|盟|旗|区)|省|市|县|州|区)\p{Han}\p{Han}+?` + vocab.Bodies.Pattern("suffix"))
	townGovRe   = regexp.MustCompile(`[镇乡]人民政府$`)
	projectRe   = regexp.MustCompile(`([\p{Han}（）()]{3,30}?(?:项目|专项资金|专项经费|专项|补助资金|资金|经费|业务费))(?:是|为|系|由|主要|年初)`)
	yearRe      = regexp.MustCompile(`((?:19|20)\d{2})\s*年度`)
	deptKindRe  = regexp.MustCompile(`部门整体支出|整体支出绩效`)
	bracketLine = regexp.MustCompile(`^[（(]\s*([^（）()]{2,40})\s*[）)]$`)
	// abbrevRe: 罗田县水利和湖泊局（以下简称“县水利湖泊局”）.
	abbrevRe = regexp.MustCompile(`([\p{Han}]{4,40})[（(]\s*(?:以下)?简称\s*[“"‘「『]?\s*([\p{Han}]{2,14})\s*[”"’」』]?\s*[）)]`)
)

// readIdentity reads organisation, project, kind and year: from the title,
// the line under it, the labelled lines (项目名称：, 实施单位：), the form's
// header cells, the body that introduces itself (X（以下简称“Y”）), the
// signature, and last the names the text repeats.
func readIdentity(ps []para, doc *document.Doc, body string, table *Table) identity {
	id := identity{OrgAt: -1, ProjectAt: -1, YearAt: -1}
	text := doc.Text
	abbrevs := abbreviations(body)
	title, titleAt, titlePara := findTitle(ps)
	var titleOrg, titleProject named
	if titlePara >= 0 {
		titleOrg, titleProject = id.fromTitle(title, titleAt, text)
	}
	lineOrg, lineProject := bracketAfterTitle(ps, titlePara, text)
	labels := labelledLines(ps)
	if id.Kind == "" {
		id.Kind = "project"
		if loc := deptKindRe.FindStringIndex(firstChars(body, 3000)); loc != nil || table != nil && table.Kind == "department" {
			id.Kind = "department"
		}
	}
	if id.Year == 0 {
		id.Year, id.YearAt, id.YearLen = likelyYear(doc, body)
	}
	if id.Year == 0 && table != nil && table.Year != 0 {
		// A table on its own says its year under its title: （2022年度）.
		e := table.Evidence["year"]
		id.Year, id.YearAt, id.YearLen = table.Year, e.Offset, len(e.Quote)
	}

	org := firstNamed(titleOrg, labels["implementer"], tableNamed(table, "organization"), lineOrg, introduced(abbrevs, ps), signature(ps))
	if !org.ok() {
		name, at, _ := bestOrganization(text, orgWindows(doc, table), "", -1)
		org = named{name, at}
	}
	org = fullName(org, abbrevs, text, orgWindows(doc, table))
	org = usualSpelling(org, text)
	if org.ok() {
		id.Organization, id.OrgAt, id.OrgLen = org.text, org.at, len(org.text)
	}
	if id.Kind == "project" {
		p := firstNamed(labels["project"], titleProject, lineProject, tableNamed(table, "project"))
		if !p.ok() {
			p = sentenceProject(body)
		}
		if p.ok() {
			id.Project, id.ProjectAt, id.ProjectLen = p.text, p.at, len(p.text)
		}
	}
	return id
}

func firstNamed(ns ...named) named {
	for _, n := range ns {
		if n.ok() {
			return n
		}
	}
	return named{at: -1}
}

func tableNamed(t *Table, key string) named {
	if t == nil {
		return named{at: -1}
	}
	e, ok := t.Evidence[key]
	if !ok {
		return named{at: -1}
	}
	switch key {
	case "organization":
		return named{t.Organization, e.Offset}
	case "project":
		if utf8.RuneCountInString(t.Project) < 3 {
			return named{at: -1}
		}
		return named{t.Project, e.Offset}
	}
	return named{at: -1}
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

// findTitle is the line naming the report: among the first paragraphs
// before the first heading, one that says 绩效自评报告 (or 绩效评价报告, 绩效
// 自评表); a title cut by a wrap (…绩效自评报 / 告) is read whole. It returns
// the title, its offset and its paragraph, -1 when there is none.
func findTitle(ps []para) (string, int, int) {
	for i, p := range ps {
		if i > 6 {
			break
		}
		t := strings.TrimSpace(p.Text)
		if _, ok := parseHeading(t); ok {
			break
		}
		if !strings.Contains(t, "绩效") || utf8.RuneCountInString(t) > 70 {
			continue
		}
		if i+1 < len(ps) && !titleEnds(t) {
			if next := strings.TrimSpace(ps[i+1].Text); utf8.RuneCountInString(next) <= 4 && titleEnds(t+next) {
				t += next // the title's last characters wrapped onto a line of their own
			}
		}
		if strings.Contains(t, "报告") || titleEnds(t) {
			return t, p.Start + strings.Index(p.Text, strings.TrimSpace(p.Text)), i
		}
	}
	return "", 0, -1
}

func titleEnds(t string) bool {
	for _, end := range []string{"报告", "自评表", "自评", "情况说明", "自评说明", "自评情况", "自评结果"} {
		if strings.HasSuffix(t, end) {
			return true
		}
	}
	return false
}

// fromTitle reads year and kind from the title and returns the body and the
// project it names: [body|project] 2022年度 [body|project] …绩效自评报告,
// a body and a project glued together told apart by where a body's name
// ends (罗田县水利和湖泊局 | 小型水库维修养护经费).
func (id *identity) fromTitle(t string, at int, text string) (org, project named) {
	org, project = named{at: -1}, named{at: -1}
	// 关于…绩效自评的报告, …报告（伊宁县农业农村局）: the title's glue.
	if strings.HasSuffix(t, "）") || strings.HasSuffix(t, ")") {
		if i := strings.LastIndexAny(t, "（("); i > 0 {
			if inner := strings.Trim(t[i:], "（()） "); looksLikeBody(inner) {
				org = named{inner, at + i + len("（")}
			}
			t = strings.TrimSpace(t[:i])
		}
	}
	for _, glue := range []string{"报告", "说明", "的"} {
		t = strings.TrimSuffix(t, glue)
	}
	m := titleRe.FindStringSubmatchIndex(t)
	if m == nil {
		return org, project
	}
	id.Year, _ = strconv.Atoi(t[m[4]:m[5]])
	id.YearAt, id.YearLen = at+m[4], m[5]-m[4]
	kindWord := ""
	if m[8] >= 0 {
		kindWord = t[m[8]:m[9]]
	}
	id.Kind = "project"
	if strings.Contains(kindWord, "整体") {
		id.Kind = "department"
	}
	for _, part := range [][2]int{{m[2], m[3]}, {m[6], m[7]}} {
		s := strings.TrimSpace(t[part[0]:part[1]])
		off := at + part[0] + strings.Index(t[part[0]:part[1]], s)
		if p, ok := strings.CutPrefix(s, "关于"); ok {
			s, off = p, off+len("关于")
		}
		s = strings.TrimSuffix(s, "关于") // 伊宁县农业农村局关于2022年度…的报告
		if s == "" {
			continue
		}
		o, p := splitBodyProject(s, off, text, id.Kind == "department")
		if o.ok() && !org.ok() {
			org = o
		}
		if p.ok() && !project.ok() {
			project = p
		}
	}
	return org, project
}

// splitBodyProject tells the body and the project in a piece of a title.
// The piece may be a body (宜都市红花套镇人民政府), a project (小型水库维修养护
// 经费), or both glued: the body is then the longest head ending where a
// body's name ends that the text names elsewhere too.
func splitBodyProject(s string, at int, text string, department bool) (org, project named) {
	org, project = named{at: -1}, named{at: -1}
	if department || looksLikeBody(s) {
		return named{s, at}, project
	}
	best := -1
	for _, loc := range bodyEndRe.FindAllStringIndex(s, -1) {
		head := s[:loc[1]]
		if loc[1] < len(s) && utf8.RuneCountInString(head) >= 4 && strings.Count(text, head) >= 2 && looksLikeBody(head) {
			best = loc[1]
		}
	}
	if best > 0 {
		org = named{s[:best], at}
		s, at = s[best:], at+best
	}
	if p := cleanProject(s); p != "" && p != "项目" && p != "专项" && !placeName(p) {
		project = named{p, at}
	}
	return org, project
}

// placeName: a place and nothing more (剑阁县, 红花套镇) names no project.
func placeName(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("省市县区州镇乡旗盟村", r) && utf8.RuneCountInString(s) <= 12
}

// looksLikeBody: a name that ends the way a body's name does and not the
// way a project's does (…局, …中学, …人民政府; not …经费, …项目).
func looksLikeBody(s string) bool {
	if utf8.RuneCountInString(s) < 3 || utf8.RuneCountInString(s) > 40 {
		return false
	}
	for _, w := range vocab.Bodies.Words("project_end") {
		if strings.HasSuffix(s, w) {
			return false
		}
	}
	for _, w := range vocab.Bodies.Words("suffix") {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// bracketAfterTitle reads the line under the title when it is bracketed:
// a body's name (（伊宁县农业农村局）) or the project's (（校舍维修专项经费）).
func bracketAfterTitle(ps []para, title int, text string) (org, project named) {
	org, project = named{at: -1}, named{at: -1}
	if title < 0 || title+1 >= len(ps) {
		return org, project
	}
	p := ps[title+1]
	t := strings.TrimSpace(p.Text)
	m := bracketLine.FindStringSubmatchIndex(t)
	if m == nil {
		return org, project
	}
	inner := strings.TrimSpace(t[m[2]:m[3]])
	at := p.Start + strings.Index(p.Text, inner)
	if looksLikeBody(inner) {
		return named{inner, at}, project
	}
	if c := cleanProject(inner); c != "" && c != "项目" {
		project = named{c, at}
	}
	return org, project
}

// labelledLines reads the labelled lines of the report's head and tail
// (项目名称：…, 实施单位：…, 主管部门：…; several on one line too), keyed
// "project", "implementer", "supervisor"; the first of each.
func labelledLines(ps []para) map[string]named {
	out := map[string]named{}
	for i, p := range ps {
		if i > 20 && i < len(ps)-10 {
			continue
		}
		for _, f := range labelFields(p.Text) {
			if _, seen := out[f.class]; !seen {
				v := codePrefix.ReplaceAllString(f.value, "")
				out[f.class] = named{v, p.Start + f.at + len(f.value) - len(v)}
			}
		}
	}
	if p, ok := out["project"]; ok && utf8.RuneCountInString(p.text) < 3 {
		delete(out, "project")
	}
	return out
}

type labelField struct {
	class, value string
	at           int // byte offset of the value in the line
}

// labelFieldRe finds "label：value" in a line; a value runs to white space, a
// sentence mark or the next label.
var labelFieldRe = regexp.MustCompile(`(` + vocab.Form.Pattern("project") + `|` + vocab.Form.Pattern("implementer") + `|` + vocab.Form.Pattern("supervisor") + `)\s*(?:[（(][^（）()]{1,6}[）)])?\s*[：:]\s*([^\s：:，。；,;|]+)`)

func labelFields(line string) []labelField {
	if !strings.ContainsAny(line, ":：") || !anyFieldLabel(line) {
		return nil // no label without its colon
	}
	var out []labelField
	for _, m := range labelFieldRe.FindAllStringSubmatchIndex(line, -1) {
		if m[0] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(line[:m[0]]); r >= 0x3400 && r <= 0x9FFF {
				continue // inside a sentence: 该项目名称：… is no label line
			}
		}
		class, _ := labelOf(line[m[2]:m[3]], "project", "implementer", "supervisor")
		value := line[m[4]:m[5]]
		// The next label may follow without a space: 主管部门：A实施单位：B.
		if at := nextLabel(value); at > 0 {
			value = value[:at]
		}
		out = append(out, labelField{class, value, m[4]})
	}
	return out
}

// abbreviations maps each short name the text defines (以下简称“县水利湖泊局”)
// to the full name before it.
func abbreviations(body string) map[string]named {
	out := map[string]named{}
	for _, m := range findIn(abbrevRe, body, []string{"简称"}, -1) {
		full, off := trimOrgPrefix(body[m[2]:m[3]])
		short := body[m[4]:m[5]]
		if _, seen := out[short]; !seen && looksLikeBody(full) {
			out[short] = named{full, m[2] + off}
		}
	}
	return out
}

// introduced is the body that introduces itself first with a short name
// (宜都市红花套镇人民政府（以下简称“红花套镇”）): in a self-evaluation that is
// the reporting body, opening its 基本情况.
func introduced(abbrevs map[string]named, ps []para) named {
	best := named{at: -1}
	for _, n := range abbrevs {
		if !best.ok() || n.at < best.at {
			best = n
		}
	}
	if best.ok() && len(ps) > 0 && best.at > ps[min(len(ps)-1, 12)].End {
		return named{at: -1} // named far into the report: a body it talks about
	}
	return best
}

// signature is the body named alone (or with the date) on one of the last
// lines, above or beside the report's date.
func signature(ps []para) named {
	for i := len(ps) - 1; i >= 0 && i >= len(ps)-6; i-- {
		t := strings.TrimSpace(ps[i].Text)
		if d := signatureDate.FindStringIndex(t); d != nil && d[0] > 0 {
			t = strings.TrimSpace(t[:d[0]]) // 宜都市红花套镇人民政府 2024年5月23日
		}
		if looksLikeBody(t) && !strings.ContainsAny(t, "，。；：,;:") && utf8.RuneCountInString(t) <= 30 {
			return named{t, ps[i].Start + strings.Index(ps[i].Text, t)}
		}
	}
	return named{at: -1}
}

var signatureDate = regexp.MustCompile(`(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)

// fullName gives a body its full name: the name a short one abbreviates
// (县水利湖泊局 → 罗田县水利和湖泊局), or the fullest form the text gives of
// it (自治区文化和旅游厅 → 宁夏回族自治区文化和旅游厅).
func fullName(n named, abbrevs map[string]named, text string, windows [][2]int) named {
	if !n.ok() {
		return n
	}
	if full, ok := abbrevs[n.text]; ok {
		return full
	}
	for short, full := range abbrevs {
		if strings.HasSuffix(n.text, short) && len(full.text) > len(n.text) {
			return full
		}
	}
	name, at, _ := bestOrganization(text, windows, n.text, n.at)
	if name == n.text && isShortName(n.text) {
		if full, ok := abbreviated(n.text, text, windows); ok {
			return full
		}
	}
	return named{name, at}
}

// isShortName: a name that starts with a bare place word (县卫健委, 区残联,
// 州民宗委, 市交易中心) — how a report calls itself once it has said its
// full name.
func isShortName(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("省市县区州镇乡旗盟", r) && utf8.RuneCountInString(s) <= 8
}

// abbreviated finds the full name a short one abbreviates where the text
// does not say so (no 以下简称): a body named in the text whose name holds
// the short one's characters in order and ends the same way (县卫健委 of
// 某县卫生健康委员会, 区残联 of 某区残疾人联合会).
func abbreviated(short, text string, windows [][2]int) (named, bool) {
	best := named{at: -1}
	for _, w := range windows {
		for _, loc := range scanLines(orgRe, text[w[0]:w[1]], func(string) bool { return true }, -1) {
			name, off := trimOrgPrefix(text[w[0]+loc[0] : w[0]+loc[1]])
			if len(name) > len(short) && abbreviates(short, name) && len(name) > len(best.text) {
				best = named{name, w[0] + loc[0] + off}
			}
		}
	}
	return best, best.ok()
}

// abbreviates: every character of short stands in full in order, and the
// short name's last one in the full name's ending (委 of 委员会, 联 of 联合会).
func abbreviates(short, full string) bool {
	s, f := []rune(short), []rune(full)
	if !strings.ContainsRune(string(f[max(0, len(f)-3):]), s[len(s)-1]) {
		return false
	}
	k := 0
	for _, r := range f {
		if k < len(s) && r == s[k] {
			k++
		}
	}
	return k == len(s)
}

// orgChars: a line naming a body holds one of its name's last characters.
const orgChars = "局厅委会办心院馆站所队府处学园"

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

// bestOrganization picks the body most often named in the text, preferring
// the fullest form of a name (宁夏回族自治区文化和旅游厅 over 自治区文化和旅游厅),
// starting from a name already read (the title's) when there is one.
func bestOrganization(text string, windows [][2]int, known string, knownAt int) (string, int, int) {
	type cand struct {
		name  string
		count int
		at    int
	}
	var cs []*cand
	index := map[string]*cand{}
	keep := func(line string) bool { return strings.ContainsAny(line, orgChars) }
	if known != "" {
		// Only a line naming the body can give a fuller form of its name.
		keep = func(line string) bool { return strings.Contains(line, known) }
	}
	for _, w := range windows {
		for _, loc := range scanLines(orgRe, text[w[0]:w[1]], keep, -1) {
			start, end := loc[0]+w[0], loc[1]+w[0]
			name, off := trimOrgPrefix(text[start:end])
			if n := utf8.RuneCountInString(name); n < 4 || n > 24 || notBody(name) {
				continue
			}
			c := index[name]
			if c == nil {
				c = &cand{name: name, at: start + off}
				index[name] = c
				cs = append(cs, c)
			}
			c.count++
		}
	}
	if known != "" {
		// The name is known; use the fullest form the text gives.
		best, at := known, knownAt
		for _, c := range cs {
			if strings.HasSuffix(c.name, known) && len(c.name) > len(best) {
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

// notBody: a name the text mentions that cannot be the reporting body (the
// finance bureau, the party committee, a place); a township's government
// reports for itself.
func notBody(name string) bool {
	if townGovRe.MatchString(name) {
		return false
	}
	return strings.Contains(name, "政府") || vocab.Bodies.Contains("not_body", name)
}

// sentenceProject is the project a sentence introduces where nothing else
// names it: "X项目是…", "X资金主要…".
func sentenceProject(body string) named {
	if m := findFirst(projectRe, body, "项目", "专项", "资金", "经费", "业务费"); m != nil {
		return named{strings.TrimLeft(body[m[2]:m[3]], "（）()"), m[2]}
	}
	return named{at: -1}
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
	cut, w := strings.LastIndexAny(prefix, orgStopChars), 0
	if cut >= 0 {
		_, w = utf8.DecodeRuneInString(prefix[cut:])
	}
	for _, lead := range vocab.Bodies.Words("lead") {
		if i := strings.LastIndex(prefix, lead); i >= 0 && i+len(lead) > cut+w {
			cut, w = i, len(lead)
		}
	}
	if cut < 0 {
		return name, 0
	}
	return name[cut+w:], cut + w
}

// notEvaluated are the words before a year that make it not the evaluated
// one: a document number (〔2021〕), a comparison (较2021年), a start (自).
const notEvaluated = "〔[较比与自从"

// likelyYear is the evaluated year of a report without a title: the first
// 20XX年度, else the year named most often in its running text, a date with
// its month (the report's own, or the evaluation work of the next year)
// counting only when no bare year is named (ties: the earliest named).
func likelyYear(doc *document.Doc, body string) (int, int, int) {
	if loc := findFirst(yearRe, body, "年度"); loc != nil {
		y, _ := strconv.Atoi(body[loc[2]:loc[3]])
		return y, loc[2], loc[3] - loc[2]
	}
	for _, dated := range []bool{false, true} {
		count, first := map[int]int{}, map[int]int{}
		for _, d := range doc.Dates {
			if k := doc.Blocks[d.Block].Kind; k == document.TableBlock || k == document.ChromeBlock || (d.Month > 0) != dated {
				continue
			}
			if prev, _ := utf8.DecodeLastRuneInString(strings.TrimRight(doc.Text[:d.Start], " ")); strings.ContainsRune(notEvaluated, prev) {
				continue
			}
			if _, ok := first[d.Year]; !ok {
				first[d.Year] = d.Start
			}
			count[d.Year]++
		}
		best := 0
		for y, n := range count {
			if best == 0 || n > count[best] || n == count[best] && first[y] < first[best] {
				best = y
			}
		}
		if best != 0 {
			return best, first[best], 4
		}
	}
	return 0, -1, 0
}

// anyFieldLabel: a header label stands somewhere in line.
func anyFieldLabel(line string) bool {
	return vocab.Form.Contains("project", line) || vocab.Form.Contains("implementer", line) || vocab.Form.Contains("supervisor", line)
}

// nextLabel is where a header label starts inside a value that ran on into
// the next field (南溪县教育局实施单位), -1 when none does.
func nextLabel(value string) int {
	best := -1
	for _, c := range []string{"project", "supervisor", "implementer"} {
		if at, _ := vocab.Form.Index(c, value); at > 0 && (best < 0 || at < best) {
			best = at
		}
	}
	return best
}

// usualSpelling gives a name read once the spelling the text uses most
// when the two differ by a character or two: a scan misreads one
// occurrence (自治区文化和旅游打, 哈密PT卫生健康委员会) and reads the others
// right. A name the text repeats is kept as it is.
func usualSpelling(n named, text string) named {
	if !n.ok() || looksLikeBody(n.text) && allHan(n.text) || strings.Count(text, n.text) >= 2 {
		return n // a well-formed name, or one the text repeats
	}
	head := string([]rune(n.text)[:min(2, utf8.RuneCountInString(n.text))])
	count := map[string]int{}
	first := map[string]int{}
	for _, loc := range scanLines(orgRe, text, func(line string) bool { return strings.Contains(line, head) }, -1) {
		name, off := trimOrgPrefix(text[loc[0]:loc[1]])
		if _, seen := first[name]; !seen {
			first[name] = loc[0] + off
		}
		count[name]++
	}
	best, bestCount := n, 1
	limit := max(1, min(2, utf8.RuneCountInString(n.text)/5))
	for name, c := range count {
		if c > bestCount && c >= 2 && editDistance(name, n.text) <= limit {
			best, bestCount = named{name, first[name]}, c
		}
	}
	return best
}

func allHan(s string) bool {
	for _, r := range s {
		if !isHanRune(r) {
			return false
		}
	}
	return true
}

// editDistance is the Levenshtein distance of two strings in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
