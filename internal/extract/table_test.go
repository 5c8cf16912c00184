package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

// Tables in the three layouts PDF-to-text produces: one cell per line
// (onecell-*), columns aligned by spaces (layout-*), and the PDF text layer's
// reading order with single-spaced cells and wrapped fragments (flow-*, the
// text internal/pdf gives for the corpus PDFs, through either engine: pdfium
// spaces figures from their units). The dev-* fixtures are cut
// from the labelled corpus; variant-* are worded and laid out differently:
// 以上/不低于/不少于/不超过 targets, wrapped targets and categories, 元 and
// full-width amounts, a 预算执行率 row inside the indicator table, the 2021
// template's 成本指标 as a 一级指标.
type tableCase struct {
	file  string
	exec  [3]string // weight, rate, score of the 预算执行率 row
	money [3]string // planned, adjusted, executed in yuan; "" when absent
	total string
	rows  []string // level1|level2|level3|target|actual|weight|score|deviation
}

var tableCases = []tableCase{
	{file: "flow-dev027-pdfium.txt",
		exec:  [3]string{"10", "100", "9.46"},
		money: [3]string{"5490000", "4692000", "4692000"}, total: "98.73",
		rows: []string{
			"产出指标|数量指标|举办科普活动场次|≥200 场|222 场|15|15|",
			"产出指标|数量指标|科普大篷车巡展里程|≥4 万公里|4 万公里|10|10|",
			"产出指标|数量指标|培训基层科普人员|≥1100 人次|1064 人次|10|9.67|个别单位工作推进较慢，已督促整改。",
			"产出指标|质量指标|科普活动方案执行率|100%|96%|10|9.6|部分单位执行标准不够统一，下一步加强业务指导。",
			"产出指标|时效指标|活动按计划完成率|≥95%|95.7%|5|5|",
			"效益指标|社会效益指标|受益群众人次|≥66 万人次|67 万人次|20|20|",
			"效益指标|可持续影响指标|基层科普服务能力|长期|长期|10|10|",
			"满意度指标|服务对象满意度指标|参与群众满意度|≥90%|90.4%|10|10|",
		}},
	{file: "flow-dev018.txt",
		exec:  [3]string{"10", "87.1", "8.71"},
		money: [3]string{"37230000", "34267000", "29863200"}, total: "97.24",
		rows: []string{
			"产出指标|数量指标|免费开放场馆数量|≥150个|153个|15|15|无",
			"产出指标|数量指标|送戏下乡演出场次|≥670场|741场|15|15|无",
			"产出指标|质量指标|免费开放服务达标率|≥95%|87%|10|9.16|部分单位执行标准不够统一，下一步加强业务指导。",
			"产出指标|时效指标|补助资金拨付及时率|100%|100%|10|10|无",
			"效益指标|社会效益指标|年度服务群众人次|≥300万人次|332万人次|20|20|无",
			"效益指标|可持续影响指标|基层公共文化服务效能|长期|长期|10|10|无",
			"满意度指标|服务对象满意度指标|群众满意度|≥90%|84.3%|10|9.37|个别服务对象对服务时效不够满意，下一步改进服务方式。",
		}},
	{file: "flow-dev034.txt",
		exec:  [3]string{"10", "94.22", "9.42"},
		money: [3]string{"29560000", "24624000", "23201400"}, total: "94.92",
		rows: []string{
			"产出指标|数量指标|免费开放场馆数量|≥220个|230个|15|16|",
			"产出指标|数量指标|送戏下乡演出场次|≥320场|288场|15|13.5|年初指标值设置偏高，以后年度合理设定。",
			"产出指标|质量指标|免费开放服务达标率|≥95%|91.9%|10|9.67|个别项目验收资料不完整，已督促补充完善。",
			"产出指标|时效指标|补助资金拨付及时率|100%|100%|10|10|",
			"效益指标|社会效益指标|年度服务群众人次|≥490万人次|400万人次|20|16.33|个别服务对象对服务时效不够满意，下一步改进服务方式。",
			"效益指标|可持续影响指标|基层公共文化服务效能|进一步提升|进一步提升|10|10|",
			"满意度指标|服务对象满意度指标|群众满意度|≥90%|92.7%|10|10|",
		}},
	{file: "layout-dev013.txt",
		exec:  [3]string{"10", "91.3", "8.3"},
		money: [3]string{"95330000", "101411000", "92600200"}, total: "89.66",
		rows: []string{
			"产出指标|数量指标|重点工作任务完成数|≥9项|6项|15|10|个别单位工作推进较慢，已督促整改。",
			"产出指标|质量指标|重点工作任务完成率|100%|100%|15|15|",
			"产出指标|时效指标|预算资金支出进度达标率|≥90%|91.7%|10|10|",
			"产出指标|成本指标|“三公”经费控制率|≤100%|116.8%|10|10|受物价上涨影响，成本略有增加。",
			"效益指标|社会效益指标|民政工作社会影响|良好|良好|15|17|",
			"效益指标|可持续影响指标|机关运转保障程度|有效保障|部分达到|15|9.5|受外部因素影响，效果略低于预期。",
			"满意度指标|服务对象满意度指标|服务对象满意度|≥90%|88.7%|10|9.86|受外部因素影响，效果略低于预期。",
		}},
	{file: "layout-dev028.txt",
		exec:  [3]string{"10", "100", "10"},
		money: [3]string{"34760000", "30927000", "30927000"}, total: "94.73",
		rows: []string{
			"产出指标|数量指标|免费开放场馆数量|≥300个|320个|15|15|无",
			"产出指标|数量指标|送戏下乡演出场次|≥580场|495场|15|12.8|受天气因素影响，部分任务延期，下一步加快推进。",
			"产出指标|质量指标|免费开放服务达标率|≥95%|100%|10|10|",
			"产出指标|时效指标|补助资金拨付及时率|100%|97.4%|10|9.74|部分采购项目验收延后，已督促尽快完成。",
			"效益指标|社会效益指标|年度服务群众人次|≥370万人次|318万人次|20|17.19|个别服务对象对服务时效不够满意，下一步改进服务方式。",
			"效益指标|可持续影响指标|基层公共文化服务效能|长期|长期|10|10|",
			"满意度指标|服务对象满意度指标|群众满意度|≥90%|95.3%|10|10|",
		}},
	{file: "layout-dev036.txt",
		exec:  [3]string{"10", "91.52", "9.15"},
		money: [3]string{"8700000", "9812000", "8980000"}, total: "99.96",
		rows: []string{
			"产出指标|数量指标|培训基层卫生技术人员数量|≥900人|1194人|10|10|",
			"产出指标|数量指标|配置基本医疗设备数量|≥98台（套）|99台（套）|10|12|",
			"产出指标|质量指标|设备验收合格率|100%|100%|10|10|",
			"产出指标|时效指标|设备到位及时率|≥95%|83.7%|10|8.81|无",
			"产出指标|成本指标|单台（套）设备平均采购成本|≤3.7万元|3.28万元|10|10|",
			"效益指标|社会效益指标|基层医疗卫生机构诊疗人次增长率|≥5%|已完成|15|15|",
			"效益指标|可持续影响指标|基层服务能力持续提升|长期|长期|15|15|",
			"满意度指标|服务对象满意度指标|基层患者满意度|≥90%|93.2%|10|10|",
		}},
	{file: "onecell-dev001.txt",
		exec:  [3]string{"10", "98.58", "9.86"},
		money: [3]string{"33780000", "33780000", "33301400"}, total: "94.86",
		rows: []string{
			"产出指标|数量指标|新建高标准农田面积|≥4万亩|达成预期指标|20|20|",
			"产出指标|质量指标|工程验收合格率|100%|100%|10|10|",
			"产出指标|时效指标|项目按期完工率|≥95%|97.9%|10|10|",
			"产出指标|成本指标|亩均建设成本|≤2500元|2416元|10|10|",
			"效益指标|经济效益指标|项目区粮食亩均增产|≥44公斤|46公斤|15|15|",
			"效益指标|可持续影响指标|工程设施正常使用年限|≥15年|≥15年|15|15|",
			"满意度指标|服务对象满意度指标|项目区农户满意度|≥90%|93.2%|10|10|",
		}},
	{file: "onecell-dev005.txt",
		exec:  [3]string{"10", "96.5", "9.65"},
		money: [3]string{"30800000", "34251000", "33857200"}, total: "102.06",
		rows: []string{
			"产出指标|数量指标|免费开放场馆数量|≥220个|236个|15|15|",
			"产出指标|数量指标|送戏下乡演出场次|≥600场|510场|15|12.75|",
			"产出指标|质量指标|免费开放服务达标率|≥95%|95.5%|10|10|",
			"产出指标|时效指标|补助资金拨付及时率|100%|100%|10|10|无",
			"效益指标|社会效益指标|年度服务群众人次|≥440万人次|488万人次|20|20|",
			"效益指标|可持续影响指标|基层公共文化服务效能|长期|长期|10|15|",
			"满意度指标|服务对象满意度指标|群众满意度|≥90%|86.9%|10|9.66|受外部因素影响，效果略低于预期。",
		}},
	{file: "onecell-dev033-crlf.txt",
		exec:  [3]string{"10", "105.6", "10"},
		money: [3]string{"21250000", "19331000", "20411900"}, total: "97",
		rows: []string{
			"产出指标|数量指标|65岁及以上老年人健康管理人数|≥30000人|31201人|10|10|",
			"产出指标|数量指标|高血压患者规范管理人数|≥30000人|32104人|10|10|",
			"产出指标|质量指标|居民电子健康档案建档率|≥90%|90.2%|10|10|",
			"产出指标|时效指标|补助资金拨付及时率|100%|100%|10|10|",
			"效益指标|社会效益指标|居民健康素养水平|≥25%|19.4%|20|20|",
			"效益指标|可持续影响指标|基本公共卫生服务长效机制|基本建立|部分达到|10|7|受外部因素影响，效果略低于预期。",
			"满意度指标|服务对象满意度指标|城乡居民满意度|≥85%|90%|20|20|",
		}},
	{file: "variant-execrow.txt",
		exec:  [3]string{"10", "93.5", "9.35"},
		money: [3]string{"", "", ""}, total: "94.35",
		rows: []string{
			"产出指标|数量指标|新增日间照料床位|不少于120张|126张|20|20|",
			"产出指标|数量指标|开展助餐服务人次|≥5000人次|4200人次|15|15|",
			"产出指标|时效指标|项目完成时间|2022年11月底前|2022年12月|15|10|设备到货延迟，已约谈供应商。",
			"效益指标|社会效益|老年人助餐覆盖率|不低于60%|0.65|20|20|",
			"满意度指标|服务对象|老年人满意度|≥95%|96%|20|20|",
		}},
	{file: "variant-flow.txt",
		exec:  [3]string{"10", "96.53", "9.65"},
		money: [3]string{"8600000", "9025000", "8712000"}, total: "99.65",
		rows: []string{
			"产出指标|数量指标|公共图书馆年度流通人次|≥50万人次|38万人次|20|20|",
			"产出指标|数量指标|文艺演出场次|不少于120场|131场|15|15|无",
			"产出指标|质量指标|文物安全事故发生数|≤0起|0起|15|15|",
			"效益指标|社会效益指标|群众文化生活满意度|明显提升|明显提升|20|20|",
			"满意度指标|服务对象满意度指标|读者满意度|≥90%|93%|20|20|",
		}},
	{file: "variant-layout.txt",
		exec:  [3]string{"10", "96", "9.6"},
		money: [3]string{"1200000", "1350000", "1296000"}, total: "97.1",
		rows: []string{
			"产出指标|数量指标|健康讲座场次|30场以上|34场|5|5|",
			"产出指标|数量指标|入户随访人数|不少于2000人|1800人|10|9|",
			"产出指标|数量指标|宣传资料印发份数|不低于5万份|5.2万份|5|5|无",
			"产出指标|质量指标|随访记录合格率|≥95%|96%|10|10|",
			"产出指标|时效指标|讲座按计划完成|12月底前|11月完成|10|10|",
			"产出指标|成本指标|人均随访成本|不超过50元|62元|10|10|物价上涨，下一步控制成本。",
			"效益指标|社会效益指标|居民健康知识知晓率|较上年有所提高|有所提高|20|20|",
			"效益指标|可持续影响指标|健康档案动态更新机制|长期有效|长期有效|10|10|",
			"满意度指标|服务对象满意度指标|居民满意度|90%以上|88%|10|8.5|",
		}},
	{file: "variant-onecell.txt",
		exec:  [3]string{"10", "90", "9"},
		money: [3]string{"12500000", "13205000", "11884500"}, total: "95.67",
		rows: []string{
			"产出指标|数量指标|农技人员培训人次|不少于1500人次|1500人次|20|20|无",
			"产出指标|数量指标|高标准农田建设面积|≥2万亩|1.6万亩|20|20|",
			"产出指标|质量指标|农产品质量安全抽检合格率|≥98%|完成|10|10|",
			"成本指标|经济成本指标|亩均建设成本|≤1500元|1450元|10|10|",
			"效益指标|社会效益指标|农民人均可支配收入增长|≥6%|5%|20|16.67|受市场价格波动影响，增收幅度低于预期。",
			"满意度指标|服务对象满意度指标|农户满意度|≥90%|92%|10|10|",
		}},
	{file: "variant-emptycells.txt",
		exec:  [3]string{"10", "96", "9.6"},
		money: [3]string{"5000000", "", "4800000"}, total: "97.6",
		rows: []string{
			"产出指标|数量指标|培训人数|≥200人||10|10|",
			"产出指标|数量指标|发放手册|≥1000册|1200册|10|10|",
			"产出指标|质量指标|合格率|||10|8|",
		}},
	{file: "variant-wrapped.txt",
		exec:  [3]string{"10", "98", "9.8"},
		money: [3]string{"1000000", "1000000", "980000"}, total: "49.8",
		rows: []string{
			"产出指标|数量指标|服务群众|≥420万人次|424万人次|20|20|",
			"产出指标|成本指标|亩均补助|≤13.5元|完成|10|10|",
			"产出指标|质量指标|配置设备数量|≥76台（套）|70台（套）|10|10|",
		}},
	{file: "variant-centred.txt",
		exec:  [3]string{"10", "96", "9.6"},
		money: [3]string{"5000000", "5000000", "4800000"}, total: "99.6",
		rows: []string{
			"产出指标|数量指标|培训人数|≥200人|210人|10|10|",
			"产出指标|数量指标|发放手册|≥1000册|900册|10|10|印刷延迟。",
			"产出指标|数量指标|举办讲座|≥20场|22场|10|10|",
			"产出指标|质量指标|合格率|≥95%|96%|10|10|",
			"产出指标|时效指标|完成及时率|100%|100%|10|10|",
			"效益指标|社会效益|群众知晓率|有所提高|有所提高|30|30|",
			"满意度指标|满意度|群众满意度|≥90%|80%|10|10|",
		}},
	{file: "variant-nodot.txt",
		exec:  [3]string{"10", "90", "9"},
		money: [3]string{"800000", "800000", "720000"}, total: "51.75",
		rows: []string{
			"产出指标|数量指标|送戏下乡演出场次|不少于600场|510场|15|12.75|受疫情影响，部分演出取消",
			"产出指标|数量指标|乡镇文化站免费开放数量|≥30个|32个|15|15|",
			"产出指标|数量指标|基层文艺骨干培训人数|≥500人|520人|15|15|",
		}},
	{file: "variant-execrow2.txt",
		exec:  [3]string{"10", "96", "10"},
		money: [3]string{"5000000", "5000000", "4800000"}, total: "100",
		rows: []string{
			"产出指标|数量指标|培训人数|≥200人|210人|90|90|",
		}},
	{file: "variant-flow-spaced.txt",
		exec:  [3]string{"10", "95", "9.5"},
		money: [3]string{"1000000", "1000000", "950000"}, total: "99.5",
		rows: []string{
			"产出指标|数量指标|培训人数|不少于 200 人|210 人|20|20|无",
			"产出指标|成本指标|人均成本|≤ 30 万元|25 万元|20|20|无",
			"产出指标|时效指标|完成时间|2022 年 12 月底前|2022 年 11 月|20|20|无",
			"产出指标|质量指标|合格率|≥ 95%|90%|30|30|个别单位执行不到位。",
		}},
}

func readTableFixture(t *testing.T, name string) *document.Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tables", name))
	if err != nil {
		t.Fatal(err)
	}
	return normalize.Parse(string(b))
}

func TestParseTable(t *testing.T) {
	for _, c := range tableCases {
		t.Run(c.file, func(t *testing.T) {
			doc := readTableFixture(t, c.file)
			tb := parseTable(doc)
			if tb == nil {
				t.Fatal("no table found")
			}
			var got []string
			for _, r := range tb.Indicators {
				got = append(got, strings.Join([]string{r.Level1, r.Level2, r.Level3, r.Target, r.Actual, tableDecimal(r.Weight), tableDecimal(r.Score), r.Deviation}, "|"))
			}
			if strings.Join(got, "\n") != strings.Join(c.rows, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.rows, "\n"))
			}
			e := tb.ExecutionRow
			if e == nil {
				t.Fatal("no 预算执行率 row")
			}
			if g := [3]string{tableDecimal(e.Weight), tableDecimal(e.Rate), tableDecimal(e.Score)}; g != c.exec {
				t.Errorf("execution row %v, want %v", g, c.exec)
			}
			if g := [3]string{tableYuan(tb.Planned), tableYuan(tb.Adjusted), tableYuan(tb.Executed)}; g != c.money {
				t.Errorf("money %v, want %v", g, c.money)
			}
			if tableDecimal(tb.Total) != c.total {
				t.Errorf("total %s, want %s", tableDecimal(tb.Total), c.total)
			}
			for i, r := range tb.Indicators {
				checkTableEvidence(t, doc, r.Evidence, r.Level3, i)
			}
			checkTableEvidence(t, doc, e.Evidence, "", -1)
		})
	}
}

// checkEvidence: the quote is the text at its offset, starts the row (its
// 三级指标 name when it has one) and its line is the source line there.
func checkTableEvidence(t *testing.T, doc *document.Doc, ev pipeline.Evidence, name string, row int) {
	t.Helper()
	if ev.Quote == "" || !strings.HasPrefix(doc.Text[ev.Offset:], ev.Quote) {
		t.Errorf("row %d: quote %q is not the text at offset %d", row, ev.Quote, ev.Offset)
		return
	}
	first := strings.SplitN(ev.Quote, "\n", 2)[0]
	if name != "" && !strings.HasPrefix(name, strings.TrimSpace(first)) && !strings.HasPrefix(strings.TrimSpace(first), name) {
		t.Errorf("row %d: quote %q does not start with the row's name %q", row, ev.Quote, name)
	}
	if line, _ := doc.Line(ev.Offset); line != ev.Line || line == 0 {
		t.Errorf("row %d: line %d, position map says %d", row, ev.Line, line)
	}
}

func tableDecimal(d *pipeline.Decimal) string {
	if d == nil {
		return ""
	}
	return d.Trim()
}

func tableYuan(a *pipeline.Amount) string {
	if a == nil {
		return ""
	}
	return a.Yuan()
}

// Prose that talks about indicators is not a table.
func TestParseTableAbsent(t *testing.T) {
	for _, text := range []string{
		"",
		"（二）绩效指标设置情况\n项目设置一级指标3个、二级指标6个、三级指标12个，年度指标值均已量化。\n",
		"三级指标\n年度指标值\n实际完成值\n", // a header with no rows under it
	} {
		if tb := parseTable(normalize.Parse(text)); tb != nil {
			t.Errorf("%q: got a table with %d rows", text, len(tb.Indicators))
		}
	}
}

// Any text: no panic, and every row's evidence quotes the text.
func FuzzParseTable(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "tables", "*.txt"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // text is decoded before it is normalised
		}
		doc := normalize.Parse(text)
		tb := parseTable(doc)
		if tb == nil {
			return
		}
		for _, r := range tb.Indicators {
			if !strings.HasPrefix(doc.Text[r.Evidence.Offset:], r.Evidence.Quote) {
				t.Fatalf("quote %q is not the text at %d", r.Evidence.Quote, r.Evidence.Offset)
			}
		}
	})
}
