package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newProblemsCmd()) }

func newProblemsCmd() *cobra.Command {
	var db, org, project, format string
	var recurring bool
	c := &cobra.Command{
		Use:   "problems --recurring [--org ORG] [--project P] [--format text|json] [--db PATH]",
		Short: "List problems an organisation states again year after year",
		Long: `problems --recurring lists the problems stated again in a later year by the
same organisation and project: the same wording or substantially the same
(similar words), followed through the years. Each entry gives the years, the
first and the latest wording, and the similarity of the weakest link.
--org and --project narrow the list (empty: all).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !recurring {
				return usageError("problems needs --recurring (the only listing so far)")
			}
			if format != "text" && format != "json" {
				return usageError("--format must be text or json, not %q", format)
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			list, err := st.RecurringProblems(cmd.Context(), org, project)
			if err != nil {
				return failed(err)
			}
			if format == "json" {
				return writeJSONIndented(cmd.OutOrStdout(), list)
			}
			writeRecurring(cmd.OutOrStdout(), list)
			return nil
		},
	}
	addDBFlag(c, &db)
	c.Flags().BoolVar(&recurring, "recurring", false, "list problems stated again in later years")
	c.Flags().StringVar(&org, "org", "", "only this organisation")
	c.Flags().StringVar(&project, "project", "", "only this project")
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return c
}

func writeRecurring(w io.Writer, list []pipeline.RecurringProblem) {
	if len(list) == 0 {
		fmt.Fprintln(w, "未发现跨年度重复出现的问题。")
		return
	}
	for _, p := range list {
		project := p.Project
		if project == "" {
			project = "部门整体"
		}
		years := make([]string, len(p.Years))
		for i, y := range p.Years {
			years[i] = fmt.Sprint(y)
		}
		fmt.Fprintf(w, "%s｜%s｜%s年（先后%d个年度提出，相似度≥%.0f%%）\n", p.Organization, project,
			strings.Join(years, "、"), len(p.Years), p.Similarity*100)
		fmt.Fprintf(w, "  最近表述：%s\n", p.Problem)
		if p.Earlier != p.Problem {
			fmt.Fprintf(w, "  最早表述：%s\n", p.Earlier)
		}
	}
}
