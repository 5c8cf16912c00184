package pdf

import "testing"

func TestCMapSafe(t *testing.T) {
	const head = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /X def\n"
	cases := []struct {
		name string
		body string
		want bool
	}{
		{"ghostscript one code per range", "1 begincodespacerange <00><ff> endcodespacerange\n2 beginbfrange\n<01><01><4e00>\n<0a><0a><8bc4>\nendbfrange", true},
		{"libreoffice bfchar", "1 begincodespacerange <00> <FF> endcodespacerange\n2 beginbfchar\n<01> <4E00>\n<02> <D840DC00>\nendbfchar", true},
		{"range within the last byte", "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange\n<0100> <01FF> <4E00>\nendbfrange", true},
		{"array destination", "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange\n<01> <03> [<4E00> <4E8C> <4E09>]\nendbfrange", true},
		{"range across a byte boundary", "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange\n<0100> <02FF> <4E00>\nendbfrange", false},
		{"destination overflows its last byte", "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange\n<01> <02> <00FF>\nendbfrange", false},
		{"short array", "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange\n<01> <03> [<4E00>]\nendbfrange", false},
		{"no codespace range", "1 beginbfchar\n<01> <4E00>\nendbfchar", false},
		{"odd destination", "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfchar\n<01> <4E>\nendbfchar", false},
	}
	for _, c := range cases {
		if got := cmapSafe([]byte(head + c.body + "\nendcmap CMapName currentdict /CMap defineresource pop end end")); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
