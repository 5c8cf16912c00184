package document

import (
	"strings"
	"testing"
)

// A run of text with no 。！？ and no line break — a flattened Word dump, a
// table run into one line, a hostile upload — must not make a sentence of
// the whole run: every scan from a figure to its sentence's ends is
// bounded, or extraction is quadratic in the line's length (a 1 MB line
// took 196 s).
func TestSentenceBoundsOnAnOverlongRun(t *testing.T) {
	clause := "设备购置资金123.45万元，"
	run := strings.Repeat(clause, 20000) // ~600 KB, clause ends only
	text := "一、基本情况\n" + run + "合计5000万元。\n"
	mid := len(text) / 2
	cases := []struct {
		name  string
		start int
		end   int
	}{
		{"middle", SentenceStart(text, mid), SentenceEnd(text, mid)},
		{"near the start", SentenceStart(text, 100), SentenceEnd(text, 100)},
	}
	for _, c := range cases {
		if c.end-c.start > 2*MaxSentence {
			t.Errorf("%s: sentence of %d bytes, want at most %d", c.name, c.end-c.start, 2*MaxSentence)
		}
		if got := text[c.end-len("，") : c.end]; c.end < len(text)-20 && got != "，" {
			t.Errorf("%s: an overlong sentence ends at %q, want a clause end", c.name, got)
		}
	}
	// A sentence of ordinary length is untouched.
	short := "前言。" + clause + "执行率98%。后记"
	at := strings.Index(short, "执行率")
	if s, e := SentenceStart(short, at), SentenceEnd(short, at); short[s:e] != clause+"执行率98%。" {
		t.Errorf("ordinary sentence = %q", short[s:e])
	}
}

// The model's sentences are cut the same way.
func TestModelSentencesOfAnOverlongRun(t *testing.T) {
	run := strings.Repeat("培训经费12万元，", 5000)
	var b Builder
	b.Open(ProseBlock)
	b.Write(run, Addr{Line: 1})
	d := b.Doc(1)
	if len(d.Sentences) < 2 {
		t.Fatalf("%d sentences for a %d-byte run", len(d.Sentences), len(run))
	}
	for _, s := range d.Sentences {
		if s.End-s.Start > MaxSentence {
			t.Fatalf("sentence of %d bytes, want at most %d", s.End-s.Start, MaxSentence)
		}
		if !strings.HasSuffix(d.Text[s.Start:s.End], "，") {
			t.Errorf("sentence cut inside a clause: …%q", d.Text[s.End-12:s.End])
		}
	}
}

func TestSentenceBoundsRemembersItsSentence(t *testing.T) {
	text := "其中：设备50万元，培训30万元。执行率99%。"
	b := SentenceBounds{Text: text}
	for _, w := range []string{"设备", "培训", "执行率"} {
		at := strings.Index(text, w)
		s, e := b.At(at)
		if s != SentenceStart(text, at) || e != SentenceEnd(text, at) {
			t.Errorf("At(%q) = %q, want %q", w, text[s:e], text[SentenceStart(text, at):SentenceEnd(text, at)])
		}
	}
}
