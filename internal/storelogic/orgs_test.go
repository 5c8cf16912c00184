package storelogic

import (
	"slices"
	"testing"
)

var bodies = []string{
	"新疆维吾尔自治区卫生健康委员会", "新疆维吾尔自治区科学技术协会", "新疆维吾尔自治区残疾人联合会",
	"吐鲁番市残疾人联合会", "伊宁县农业农村局", "宁夏回族自治区文化和旅游厅", "甘肃省民政厅",
	"自治区红十字会", "昌吉市民政局", "哈密市卫生健康委员会", "城市管理局",
}

func TestRegion(t *testing.T) {
	cases := map[string]string{
		"新疆维吾尔自治区卫生健康委员会": "新疆维吾尔自治区", "吐鲁番市残疾人联合会": "吐鲁番市", "伊宁县农业农村局": "伊宁县",
		"宁夏回族自治区文化和旅游厅": "宁夏回族自治区", "甘肃省民政厅": "甘肃省", "自治区红十字会": "",
		"城市管理局": "", "昌吉回族自治州财政局": "昌吉回族自治州", "吐鲁番市": "",
	}
	for name, want := range cases {
		if got := Region(name); got != want {
			t.Errorf("Region(%s) = %q, want %q", name, got, want)
		}
	}
}

func TestMatchOrgs(t *testing.T) {
	cases := []struct {
		q    string
		want []string
	}{
		{"甘肃省民政厅", []string{"甘肃省民政厅"}},
		{"残疾人联合会", []string{"吐鲁番市残疾人联合会", "新疆维吾尔自治区残疾人联合会"}},
		{"新疆卫健委", []string{"新疆维吾尔自治区卫生健康委员会"}},
		{"卫生健康", []string{"哈密市卫生健康委员会", "新疆维吾尔自治区卫生健康委员会"}},
		{"民政", []string{"昌吉市民政局", "甘肃省民政厅"}},
		{"教育厅", nil},
		{"  ", nil},
	}
	for _, c := range cases {
		if got := MatchOrgs(c.q, bodies); !slices.Equal(got, c.want) {
			t.Errorf("MatchOrgs(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestOrganizations(t *testing.T) {
	got := Organizations([]OrgRow{
		{"吐鲁番市残疾人联合会", "", 2022}, {"吐鲁番市残疾人联合会", "", 2020}, {"吐鲁番市残疾人联合会", "康复项目", 2022},
		{"甘肃省民政厅", "养老", 0}, {"", "x", 2020},
	})
	if len(got) != 2 || got[0].Name != "吐鲁番市残疾人联合会" || got[0].Reports != 3 || got[0].Projects != 2 ||
		!slices.Equal(got[0].Years, []int{2020, 2022}) || got[0].Region != "吐鲁番市" || len(got[1].Years) != 0 {
		t.Errorf("%+v", got)
	}
}
