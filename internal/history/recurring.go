package history

import (
	"sort"

	"github.com/jixiao/jixiao/pipeline"
)

// YearProblems is what one report of a series stated as problems.
type YearProblems struct {
	ReportID int64
	Year     int
	Problems []string
}

// Recurring follows each problem of one organisation-and-project series
// through the years: a problem joins the chain of the most similar problem
// (at least SameProblem) stated in an earlier year that the chain has not
// already covered. Chains spanning two years or more are returned, longest
// first. Problem is the latest wording, Earlier the first; Similarity is the
// weakest link of the chain.
func Recurring(organization, project string, reports []YearProblems) []pipeline.RecurringProblem {
	sorted := append([]YearProblems(nil), reports...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Year < sorted[j].Year })
	type chain struct {
		rp   pipeline.RecurringProblem
		last map[string]struct{} // tokens of the latest wording
	}
	var chains []*chain
	for _, r := range sorted {
		if r.Year == 0 {
			continue
		}
		claimed := map[*chain]bool{}
		for _, p := range r.Problems {
			toks := tokenSet(p)
			var best *chain
			bestSim := 0.0
			for _, c := range chains {
				if claimed[c] || c.rp.Years[len(c.rp.Years)-1] >= r.Year {
					continue
				}
				if s := dice(toks, c.last); s >= SameProblem && s > bestSim {
					best, bestSim = c, s
				}
			}
			if best == nil {
				chains = append(chains, &chain{
					rp: pipeline.RecurringProblem{
						Organization: organization, Project: project, Problem: p, Earlier: p,
						Years: []int{r.Year}, ReportIDs: []int64{r.ReportID}, Similarity: 1,
					},
					last: toks,
				})
				claimed[chains[len(chains)-1]] = true
				continue
			}
			claimed[best] = true
			best.rp.Problem = p
			best.rp.Years = append(best.rp.Years, r.Year)
			best.rp.ReportIDs = append(best.rp.ReportIDs, r.ReportID)
			best.rp.Similarity = min(best.rp.Similarity, round2(bestSim))
			best.last = toks
		}
	}
	out := []pipeline.RecurringProblem{}
	for _, c := range chains {
		if len(c.rp.Years) >= 2 {
			out = append(out, c.rp)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Years) > len(out[j].Years) })
	return out
}
