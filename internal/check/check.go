// Package check runs the consistency rules of the extraction contract over
// one extracted report. Each rule is a small unit in its own file with its
// identifier, severity, a Chinese message naming the figures, and evidence;
// rules register themselves with register in an init function.
package check

import (
	"sort"

	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

// Input is what a rule reads: the normalised text and the extracted report.
type Input struct {
	Doc    *normalize.Doc
	Report *pipeline.Report
}

// Rule is one consistency check.
type Rule struct {
	ID       string
	Severity string
	Check    func(in *Input) []pipeline.Finding
}

var rules []Rule

// register adds a rule; called from the init function of each rule's file.
func register(r Rule) {
	rules = append(rules, r)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
}

// Rules returns the registered rules in identifier order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Run applies every rule and returns the findings, each stamped with its
// rule's identifier and severity, never nil.
func Run(doc *normalize.Doc, r *pipeline.Report) []pipeline.Finding {
	in := &Input{Doc: doc, Report: r}
	out := []pipeline.Finding{}
	for _, rule := range rules {
		for _, f := range rule.Check(in) {
			f.Rule = rule.ID
			if f.Severity == "" {
				f.Severity = rule.Severity
			}
			if f.Evidence == nil {
				f.Evidence = []pipeline.Evidence{}
			}
			out = append(out, f)
		}
	}
	return out
}
