package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func init() { rootCmd.AddCommand(newSearchCmd()) }

func newSearchCmd() *cobra.Command {
	var db, format string
	var limit int
	c := &cobra.Command{
		Use:   "search [--limit N] [--format text|json] [--db PATH] QUERY...",
		Short: "Find stored reports whose text holds the words of QUERY",
		Long: `search looks the words of QUERY up in the full-text index of the stored
reports: every word must appear (as written, Chinese included), best matches
first, each with a snippet of the text around the first word.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format must be text or json, not %q", format)
			}
			query := strings.Join(args, " ")
			if strings.TrimSpace(query) == "" {
				return usageError("search needs a non-empty QUERY")
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			hits, err := st.Search(cmd.Context(), query, limit)
			if err != nil {
				return failed(err)
			}
			if format == "json" {
				return writeJSONIndented(cmd.OutOrStdout(), hits)
			}
			w := cmd.OutOrStdout()
			if len(hits) == 0 {
				fmt.Fprintln(w, "没有找到匹配的报告。")
				return nil
			}
			for _, h := range hits {
				fmt.Fprintf(w, "#%d %s  %s %s %d年\n    %s\n", h.ReportID, h.Name, h.Organization, h.Project, h.Year, h.Snippet)
			}
			return nil
		},
	}
	addDBFlag(c, &db)
	c.Flags().IntVarP(&limit, "limit", "n", 20, "at most this many reports")
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return c
}
