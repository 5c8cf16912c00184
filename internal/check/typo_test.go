package check

import (
	"os"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/dictionaries"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/segment"
)

func typoFindings(t *testing.T, text string) []string {
	t.Helper()
	doc := normalize.Parse(text)
	var msgs []string
	for _, f := range checkSuspectedTypos(&Input{Doc: doc}) {
		msgs = append(msgs, f.Message)
		for _, ev := range f.Evidence {
			if !strings.Contains(ev.Quote, f.Values["wrong"].Text) {
				t.Errorf("evidence %q does not quote %q", ev.Quote, f.Values["wrong"].Text)
			}
			if !strings.HasPrefix(doc.Text[ev.Offset:], ev.Quote) {
				t.Errorf("evidence offset %d does not point at %q", ev.Offset, ev.Quote)
			}
			if ev.Line < 1 {
				t.Errorf("evidence line %d", ev.Line)
			}
		}
	}
	return msgs
}

func TestSuspectedTypoFires(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"细胞捐献的动员、采集、捐献等工作性经费 10 万元人休器官捐献的宣传动员。", "疑似错别字“人休器官”，应为“人体器官”"},
		{"我会预算编制坚持“量入为出、收支平衡”的原则，统筹按排各项支出。", "疑似错别字“按排各项”，应为“安排各项”"},
		{"2024年度该项目年初预算按排1,525万元，资金来源为自治区本级财政。", "疑似错别字“预算按排”，应为“预算安排”"},
		{"按照财政部门关于开展2021年度绩效自平工作的通知要求，我会成立了自评工作小组。", "疑似错别字“自平工作”，应为“自评工作”"},
		{"截至12月31日，项目资金以经全部拨付到位。", "疑似错别字“以经全部”，应为“已经全部”"},
		{"根据年度预箅安排，资金按时拨付至各项目单位。", "疑似错别字“预箅安排”，应为“预算安排”"},
		{"我会认真布署年度重点工作，明确责任分工。", "疑似错别字“布署年度”，应为“部署年度”"},
		{"单位进一步建立健全内部控制休系，规范资金审批流程。", "疑似错别字“控制休系”，应为“控制体系”"},
		{"个别项目实施进度滞后，存在资金沉淀现像。", "疑似错别字“沉淀现像”，应为“沉淀现象”"},
		{"资金使用符合规定，未发现挤占挪用、违返财经纪律的情况。", "疑似错别字“违返财经”，应为“违反财经”"},
		{"下一步，我们将再接再励，确保全面完成年度目标任务。", "疑似错别字“再接再励”，应为“再接再厉”"},
		{"经检查，未发现违规使用资金的清况。", "疑似错别字“资金的清况”，应为“资金的情况”"},
		{"项目资金实行专账核箅，专款专用。", "疑似错别字“专账核箅”，应为“专账核算”"},
	}
	for _, c := range cases {
		got := typoFindings(t, c.text)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

func TestSuspectedTypoSilentInsideCorrectWords(t *testing.T) {
	for _, text := range []string{
		"我会预算编制坚持“量入为出、收支平衡”的原则，以经济社会发展为导向。",
		"资金分配坚持以经费保障重点任务为原则，优先保障急需事项。",
		"通过以经验交流会的形式开展业务培训2期。",
		"严格落实职工带薪年休假和个人休假制度。",
		"本人休假期间由副会长主持工作。",
		"按排名先后确定年度救助对象，张榜公示。",
		"各县区各自已经制定了项目实施方案。",
		"开展预防犯罪宣传活动3场，覆盖群众1200人次。",
		"应急救护员实行轮休制度，保障全年值守。",
		"项目总体目标为充分体现人道救助的社会价值。",
		"预算执行率为96.5%，全年执行数251.89万元。",
	} {
		if got := typoFindings(t, text); len(got) != 0 {
			t.Errorf("%s\n got %q, want no finding", text, got)
		}
	}
}

func TestSuspectedTypoOneFindingPerForm(t *testing.T) {
	text := "年初预算按排200万元。\n追加预算按排40万元。"
	f := checkSuspectedTypos(&Input{Doc: normalize.Parse(text)})
	if len(f) != 1 || len(f[0].Evidence) != 2 {
		t.Fatalf("got %d findings (%v), want one with two places", len(f), f)
	}
	if f[0].Values["wrong"].Text != "按排" || f[0].Values["right"].Text != "安排" {
		t.Errorf("values %v", f[0].Values)
	}
}

func TestConfusablesDictionary(t *testing.T) {
	list, err := ParseConfusables(dictionaries.Confusables)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 150 {
		t.Errorf("%d confusables, want at least 150", len(list))
	}
	seen := map[string]bool{}
	seg := segment.Default()
	for _, c := range list {
		if seen[c.Wrong] {
			t.Errorf("duplicate wrong form %q", c.Wrong)
		}
		seen[c.Wrong] = true
		if c.Wrong == c.Right {
			t.Errorf("%q: wrong form equals right form", c.Wrong)
		}
		if len([]rune(c.Wrong)) < 2 {
			t.Errorf("%q: a single character is no word to flag", c.Wrong)
		}
		// In the dictionary, the segmenter would prefer the misspelling
		// over the correct words around it (以经/费 for 以/经费).
		if seg.Contains(c.Wrong) {
			t.Errorf("%q is a word of the segmenter's dictionary", c.Wrong)
		}
		for _, other := range list {
			if other.Wrong != c.Wrong && strings.Contains(c.Wrong, other.Wrong) {
				t.Errorf("%q contains another wrong form %q", c.Wrong, other.Wrong)
			}
		}
	}
}

func TestParseConfusablesRejectsBadLines(t *testing.T) {
	if _, err := ParseConfusables("人休\n"); err == nil {
		t.Error("a line without a right form was accepted")
	}
	got, err := ParseConfusables("# comment\n\n预箅\t预算\t形近\r\n")
	if err != nil || len(got) != 1 || got[0].Right != "预算" || got[0].Note != "形近" {
		t.Errorf("got %v, %v", got, err)
	}
}

// BenchmarkSuspectedTypos runs the rule over the real report (one hit, so
// one run of Chinese is segmented), the segmenter already loaded.
func BenchmarkSuspectedTypos(b *testing.B) {
	data, err := os.ReadFile("../../testdata/corpus/xj-redcross-2022.txt")
	if err != nil {
		b.Skip(err)
	}
	in := &Input{Doc: normalize.Parse(string(data))}
	segment.Default()
	b.ReportAllocs()
	for b.Loop() {
		if len(checkSuspectedTypos(in)) != 1 {
			b.Fatal("want the 人休 finding")
		}
	}
}
