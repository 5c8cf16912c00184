package postgres

import (
	"testing"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// Query words become a tsquery of quoted lexemes, whatever they hold: no
// character of the query is tsquery syntax.
func TestTsqueryQuotesEveryToken(t *testing.T) {
	cases := []struct{ query, want string }{
		{"采购", "'采购'"},
		{"高标准农田", "'高标' & '标准' & '准农' & '农田'"},
		{"采", "'采':*"},
		{"绩效 资金", "'绩效' & '资金'"},
		{"O'Brien", "'o' & 'brien'"},
		{`a\b & c`, `'a' & 'b' & 'c':*`}, // a lone character is a prefix, as in SQLite
	}
	for _, c := range cases {
		if got := tsquery(storelogic.QueryWords(c.query)); got != c.want {
			t.Errorf("tsquery(%q) = %q, want %q", c.query, got, c.want)
		}
	}
}

// A URL shown to an operator never shows its password.
func TestRedactHidesThePassword(t *testing.T) {
	cases := []struct{ url, want string }{
		{"postgres://jixiao:s3cret@db.example/jixiao", "postgres://jixiao:***@db.example/jixiao"},
		{"postgresql://jixiao@db/jixiao?sslmode=require", "postgresql://jixiao@db/jixiao?sslmode=require"},
		{"./jixiao.db", "./jixiao.db"},
	}
	for _, c := range cases {
		if got := Redact(c.url); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.url, got, c.want)
		}
	}
}
