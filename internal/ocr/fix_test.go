package ocr

import "testing"

// The misreadings are Tesseract's own, taken from the scanned corpus.
func TestFixText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"〈二)项目绩效目标", "（二）项目绩效目标"},
		{"4一)项目概况", "（一）项目概况"},
		{"《三)绩效评价工作过程", "（三）绩效评价工作过程"},
		{"(一)项目概况。", "（一）项目概况。"},
		{"主要存在以下问题：〈1)基层康复机构", "主要存在以下问题：（1）基层康复机构"},
		{"项目资金〈万元)", "项目资金（万元）"},
		{"(2021年度)", "（2021年度）"},
		{"《中华人民共和国预算法》", "《中华人民共和国预算法》"},
		{"(1.5)", "(1.5)"},
		{"完成率1O0%", "完成率100%"},
		{"得分9l.5", "得分91.5"},
		{"PDF文件", "PDF文件"},
		{"年度目标值之90%", "年度目标值≥90%"},
		{"场次这200场", "场次≥200场"},
		{"面积>5万亩", "面积≥5万亩"},
		{"成本委2900元", "成本≤2900元"},
		{"“1100人次", "≥1100人次"},
		{"预算执行率为88.959%。", "预算执行率为88.95%。"},
		{"全年预算执行率达到94.229%。", "全年预算执行率达到94.22%。"},
		{"满意度达到93.8%4。", "满意度达到93.8%。"},
		{"预算执行率为104.596。", "预算执行率为104.5%。"},
		{"预算执行率为88.9594", "预算执行率为88.95%"},
		{"实际支出3012.08万元", "实际支出3012.08万元"},
		{"年初预算安排2.956.00万元", "年初预算安排2,956.00万元"},
		{"完成率为99.5%。", "完成率为99.5%。"},
		{"百分之5", "百分之5"},
		{"其中:当年财政拨款", "其中：当年财政拨款"},
		{"1,076万元", "1,076万元"},
		{"项目资料归档个够规范", "项目资料归档不够规范"}, // 个 under a seal's ring: 档个 and 个够 are no words
		{"年度总体日标", "年度总体目标"},
		{"一个项目", "一个项目"},   // 个 makes a word: kept
		{"日前已完成", "日前已完成"}, // 日前 is a word: kept
	} {
		var in text
		in.add(c.in, 90)
		got := fixText(in)
		if string(got.r) != c.want {
			t.Errorf("fixText(%q) = %q, want %q", c.in, string(got.r), c.want)
		}
		if len(got.r) != len(got.conf) {
			t.Errorf("fixText(%q): %d characters, %d confidences", c.in, len(got.r), len(got.conf))
		}
	}
}

func TestFixCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"98.87 06", "98.87%"},
		{"|时分", "时分"},
		{"“参与群众满意度", "参与群众满意度"},
		{"”469.20", "469.20"},
		{"“1100人次", "≥1100人次"},
	} {
		var in text
		in.add(c.in, 90)
		if got := string(fixCell(in).r); got != c.want {
			t.Errorf("fixCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
