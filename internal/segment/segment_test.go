package segment

import (
	"strings"
	"testing"
)

func texts(ws []Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}

func TestWords(t *testing.T) {
	cases := []struct {
		text string
		want string // words joined by |
	}{
		{"年初预算数251.89万元，执行率96.5%。", "年初预算数|251.89|万元|，|执行率|96.5%|。"},
		{"年初预算按排1,525万元", "年初预算|按|排|1,525|万元"},
		{"全年执行数 ２５１．８９ 万元", "全年执行数|２５１．８９|万元"},
		{"较上年提高3.5个百分点，共1,234,567.80元", "较|上年|提高|3.5|个百分点|，|共|1,234,567.80|元"},
		{"资金分配坚持以经费保障重点任务为原则", "资金|分配|坚持|以|经费|保障|重点|任务|为|原则"},
		{"以经济社会发展为导向", "以|经济社会|发展|为|导向"},
		{"个人休假制度按排名先后", "个人|休假|制度|按|排名|先后"},
		{"人休器官捐献", "人|休|器官捐献"},
		{"PM2.5浓度下降", "PM|2.5|浓度|下降"},
		{"编号1.，2,3。", "编号|1|.|，|2,3|。"},
		{"产出指标 数量指标 培训人次 ≥1200人次", "产出指标|数量指标|培训|人次|≥|1200|人次"},
		{"", ""},
	}
	for _, c := range cases {
		got := Words(c.text)
		if j := strings.Join(texts(got), "|"); j != c.want {
			t.Errorf("Words(%q)\n got %s\nwant %s", c.text, j, c.want)
		}
		for _, w := range got {
			if c.text[w.Start:w.End] != w.Text {
				t.Errorf("Words(%q): %q at [%d,%d) is %q", c.text, w.Text, w.Start, w.End, c.text[w.Start:w.End])
			}
		}
	}
}

func TestWordKinds(t *testing.T) {
	ws := Words("预算251.89万元（PM）")
	want := []Kind{Han, Number, Han, Punct, Latin, Punct}
	if len(ws) != len(want) {
		t.Fatalf("got %q", texts(ws))
	}
	for i, w := range ws {
		if w.Kind != want[i] {
			t.Errorf("%q: kind %d, want %d", w.Text, w.Kind, want[i])
		}
	}
}

func TestLoad(t *testing.T) {
	s, err := Load("经费 100\n# comment\n\n保障 50 v\n绩效自评\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.Size() != 3 || !s.Contains("绩效自评") || s.Contains("绩效") {
		t.Errorf("size %d, contains 绩效自评 %v, 绩效 %v", s.Size(), s.Contains("绩效自评"), s.Contains("绩效"))
	}
	if got := strings.Join(texts(s.Words("以经费保障")), "|"); got != "以|经费|保障" {
		t.Errorf("got %s", got)
	}
	if _, err := Load("经费 many\n"); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad frequency: err %v", err)
	}
}

func TestDefaultDictionaryHasDomainTerms(t *testing.T) {
	s := Default()
	for _, w := range []string{"预算执行率", "绩效自评", "产出指标", "经费", "经济", "人体", "安排"} {
		if !s.Contains(w) {
			t.Errorf("%q missing from the default dictionary", w)
		}
	}
	if s.Size() < 30000 {
		t.Errorf("default dictionary has %d words", s.Size())
	}
}

// The pipeline runs one worker per core over a shared segmenter.
func TestWordsConcurrent(t *testing.T) {
	const text = "年初预算数251.89万元，以经费保障重点任务为原则。"
	want := strings.Join(texts(Words(text)), "|")
	done := make(chan string)
	for range 4 {
		go func() { done <- strings.Join(texts(Words(text)), "|") }()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("concurrent Words gave %s, want %s", got, want)
		}
	}
}

// FuzzWords: on any input the words are in order, do not overlap, quote the
// text at their offsets, and leave out only whitespace.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"年初预算数251.89万元，执行率96.5%。", "１,２３４．５％ abc 〇", "\xff\xfe人休", "1.,,2..3%%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, w := range Words(text) {
			if w.Start < prev || w.End <= w.Start || text[w.Start:w.End] != w.Text {
				t.Fatalf("word %+v after offset %d in %q", w, prev, text)
			}
			if gap := text[prev:w.Start]; strings.TrimSpace(gap) != "" {
				t.Fatalf("non-space %q dropped before %+v in %q", gap, w, text)
			}
			prev = w.End
		}
		if rest := text[prev:]; strings.TrimSpace(rest) != "" {
			t.Fatalf("non-space tail %q dropped in %q", rest, text)
		}
	})
}
