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
		{"百分之5", "百分之5"},
		{"其中:当年财政拨款", "其中：当年财政拨款"},
		{"1,076万元", "1,076万元"},
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
