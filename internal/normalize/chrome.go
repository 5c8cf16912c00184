package normalize

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

// role is what a line of the source is.
type role uint8

const (
	roleText role = iota
	roleChrome
	roleTable
)

// classify tells each line's role: site chrome, a table's line, or text.
func classify(ls []srcLine) ([]role, []region) {
	roles := make([]role, len(ls))
	markChrome(ls, roles)
	tables := findTables(ls, roles)
	return roles, tables
}

// headScan is how many non-blank lines from the top may hold a web page's
// metadata block; footScan how many from the bottom its footer.
const (
	headScan = 40
	footScan = 14
)

// markChrome marks a web page's chrome: the metadata block at the top (the
// lines from the first down to the last that is a metadata label, a
// breadcrumb trail, or a short value under a label; a report title printed
// among them stays text), everything from the first footer label in the
// closing lines, and converter metadata (author, ids, ISO timestamps)
// wherever it stands.
func markChrome(ls []srcLine, roles []role) {
	markHead(ls, roles)
	first, seen := -1, 0
	for i := len(ls) - 1; i >= 0 && seen < footScan; i-- {
		if ls[i].blank {
			continue
		}
		seen++
		if isChromeFoot(strings.TrimSpace(ls[i].text)) {
			first = i
		}
	}
	if first >= 0 {
		for i := first; i < len(ls); i++ {
			roles[i] = roleChrome
		}
	}
	for i, l := range ls {
		if isConverterMetadata(l.text) {
			roles[i] = roleChrome
		}
	}
}

// markHead marks the metadata block at the top of a web copy.
func markHead(ls []srcLine, roles []role) {
	last, seen, afterLabel := -1, 0, false
	for i := 0; i < len(ls) && seen < headScan; i++ {
		if ls[i].blank {
			continue
		}
		seen++
		t := strings.TrimSpace(ls[i].text)
		switch {
		case isChromeHead(t):
			last, afterLabel = i, bareLabel(t)
			continue
		case looksLikeTitle(t) && labelFollows(ls, i):
			afterLabel = false
			continue // a title the page prints above its metadata
		case afterLabel || last < 0 && utf8.RuneCountInString(t) <= 12 && !looksLikeTitle(t):
			// a label's value on its own line; a breadcrumb's last word
			// (预算绩效管理) above the block
			if _, ok := document.ParseMarker(t); !ok {
				last, afterLabel = i, false
				continue
			}
		}
		break
	}
	hasLabel := false
	for i := 0; i <= last; i++ {
		hasLabel = hasLabel || isChromeHead(strings.TrimSpace(ls[i].text))
	}
	if !hasLabel {
		return
	}
	for i := 0; i <= last; i++ {
		if t := strings.TrimSpace(ls[i].text); !looksLikeTitle(t) || isChromeHead(t) {
			roles[i] = roleChrome
		}
	}
}

// labelFollows: a metadata label stands in one of the next two lines.
func labelFollows(ls []srcLine, i int) bool {
	for n, j := 0, i+1; j < len(ls) && n < 2; j++ {
		if ls[j].blank {
			continue
		}
		if isChromeHead(strings.TrimSpace(ls[j].text)) {
			return true
		}
		n++
	}
	return false
}

func nextText(ls []srcLine, i int) int {
	for j := i + 1; j < len(ls); j++ {
		if !ls[j].blank {
			return j
		}
	}
	return -1
}

// chromeLead is what may stand before a label: a list dash, brackets.
const chromeLead = "-–·•*[【 \u3000\t"

// isChromeHead: a line opening with a metadata label of the web page's
// head (索引号：…, - 发布机构: …, [ 有效性 ][ 成文日期 ] …), or a breadcrumb trail.
func isChromeHead(t string) bool {
	return labelLine(vocab.Chrome, "head", t) || isBreadcrumb(t)
}

// isChromeFoot: a line opening with a footer label (主办单位, 网站标识码 …).
func isChromeFoot(t string) bool {
	return labelLine(vocab.Chrome, "foot", t) || strings.Contains(t, "ICP备")
}

// labelLine: after its lead, t starts with a label of class, followed by
// nothing, a colon, a bracket or a space.
func labelLine(v vocab.Classes, class, t string) bool {
	s := strings.TrimLeft(t, chromeLead)
	for _, w := range v.Words(class) {
		rest, ok := strings.CutPrefix(s, w)
		if !ok {
			rest, ok = strings.CutPrefix(s, strings.Trim(w, "[]【】"))
		}
		if !ok {
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || strings.ContainsRune("：:]】）) \u3000\t|", r) || strings.HasPrefix(w, "【") || strings.HasPrefix(w, "[") {
			return true
		}
	}
	return false
}

// bareLabel: a label with no value after it on its line.
func bareLabel(t string) bool {
	s := strings.TrimRight(strings.TrimLeft(t, chromeLead), "：: ]】")
	return vocab.Chrome.Is("head", s)
}

// isBreadcrumb: 首页 > 政府信息公开 > … — a home-page word and a separator.
func isBreadcrumb(t string) bool {
	return vocab.Chrome.Contains("breadcrumb", t) && strings.ContainsAny(t, ">»＞›")
}

// looksLikeTitle: a line naming a performance report or form, which the
// page prints before or inside its metadata block.
func looksLikeTitle(t string) bool {
	return strings.Contains(t, "绩效") && (strings.Contains(t, "报告") || strings.Contains(t, "自评表")) && utf8.RuneCountInString(t) <= 80
}

// isoTime is a timestamp as Word stores it in a document's properties.
var isoTime = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?\b`)

// isConverterMetadata: a line of a .docx dump's properties (author, ids,
// ISO timestamps, True/False flags): ASCII words holding a timestamp.
func isConverterMetadata(t string) bool {
	t = strings.TrimSpace(t)
	if t == "" || !strings.Contains(t, "T") || strings.Count(t, ":") < 2 || !isoTime.MatchString(t) {
		return false
	}
	han := 0
	for _, r := range t {
		if r >= 0x2E80 {
			han++
		}
	}
	return han*10 < utf8.RuneCountInString(t)
}
