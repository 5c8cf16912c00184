package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newCheckCmd()) }

// checkOptions are the flags of `jixiao check`.
type checkOptions struct {
	format string // text | md | html | json
	failOn string // error | warning | info | never
	db     string // store for the cross-year rules; "" for none
	output string // file to write; "" for stdout
}

func newCheckCmd() *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check [--format text|md|html|json] [--fail-on error|warning|never] [--db PATH] [-o FILE] FILE...",
		Short: "Check reports and write the reviewer's report of their findings",
		Long: `check reads each FILE (PDF or text), runs the consistency rules and writes
the reviewer's report: the report's header and key figures, the findings
grouped by severity with their figures and evidence, and the re-scored
indicator table.

Formats: text (for the terminal; coloured only when stdout is a terminal and
NO_COLOR is unset), md (Markdown), html (one standalone page with the report
text and every finding's evidence highlighted; nothing is loaded from the
network), json (the extract contract; JSON Lines for several files).

With --db, the cross-year rules (history.*) compare each report with the
same organisation's earlier reports kept in that store.

Exit status: 1 when some report has a finding at or above --fail-on
(default error) or some file could not be read, 2 for usage errors, else 0.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), cmd.OutOrStdout(), args, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.format, "format", "text", "output format: text, md, html or json")
	f.StringVar(&o.failOn, "fail-on", pipeline.SeverityError, "exit 1 when a finding of this severity or above is present: error, warning, info or never")
	f.StringVar(&o.db, "db", "", "跨年度规则用来比对往年报告的存储（SQLite 文件或 postgres:// 地址）")
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	return c
}

// failRank is the lowest severity rank that fails the run; 0 for never.
func (o checkOptions) failRank() (int, error) {
	if o.failOn == "never" {
		return 0, nil
	}
	if r := pipeline.SeverityRank(o.failOn); r > 0 {
		return r, nil
	}
	return 0, usageError("--fail-on must be error, warning, info or never, not %q", o.failOn)
}

func (o checkOptions) validate() error {
	switch o.format {
	case "text", "md", "html", "json":
	default:
		return usageError("--format must be text, md, html or json, not %q", o.format)
	}
	_, err := o.failRank()
	return err
}

func runCheck(ctx context.Context, stdout io.Writer, files []string, o checkOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	crossYear, closeStore, err := openCrossYear(ctx, o.db)
	if err != nil {
		return err
	}
	defer closeStore()

	// With -o the report is built in memory and the file written only when
	// something was read, so a failed run leaves no empty report behind.
	var out io.Writer = stdout
	var buf bytes.Buffer
	if o.output != "" {
		out = &buf
	}
	color := o.format == "text" && o.output == "" && isTerminal(stdout) && os.Getenv("NO_COLOR") == ""

	var exts []*pipeline.Extraction
	readErr := forEachFile(ctx, files, func(ext *pipeline.Extraction) error {
		if err := crossYear(ctx, ext); err != nil {
			return fmt.Errorf("%s: cross-year rules: %w", ext.Source.Name, err)
		}
		exts = append(exts, ext)
		if o.format == "html" {
			return nil // one page for all reports, written below
		}
		return writeCheck(out, ext, o.format, color, len(exts) > 1)
	})
	if _, isExit := readErr.(*exitError); readErr != nil && !isExit {
		return readErr // writing failed: stop here
	}
	if len(exts) > 0 {
		if o.format == "html" {
			if err := report.HTMLPage(out, exts); err != nil {
				return err
			}
		}
		if o.output != "" {
			if err := os.WriteFile(o.output, buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	if readErr != nil {
		return readErr
	}
	return o.verdict(exts)
}

// verdict fails the run (exit 1, nothing more to say: the report said it)
// when a finding at or above --fail-on is present.
func (o checkOptions) verdict(exts []*pipeline.Extraction) error {
	rank, err := o.failRank()
	if err != nil {
		return err
	}
	if rank > 0 && worstRank(exts) >= rank {
		return failed(nil)
	}
	return nil
}

// writeCheck writes one extraction in a streaming format; later ones are
// set apart from the previous one.
func writeCheck(w io.Writer, ext *pipeline.Extraction, format string, color, more bool) error {
	switch format {
	case "json":
		return writeJSONLine(w, ext)
	case "md":
		if more {
			if _, err := io.WriteString(w, "\n---\n\n"); err != nil {
				return err
			}
		}
		return report.Markdown(w, ext)
	default:
		if more {
			if _, err := io.WriteString(w, "────────────────────────────────────────\n\n"); err != nil {
				return err
			}
		}
		return report.Text(w, ext, color)
	}
}

// worstRank is the rank of the most serious finding of all extractions.
func worstRank(exts []*pipeline.Extraction) int {
	worst := 0
	for _, ext := range exts {
		for _, f := range ext.Findings {
			worst = max(worst, pipeline.SeverityRank(f.Severity))
		}
	}
	return worst
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// crossYearHook opens the store at dbPath and returns the function that adds
// the cross-year findings (history.*) to an extraction, and the store's
// closer. The store wiring (ingest.go) sets it; while it is nil, --db is
// refused.
var crossYearHook func(ctx context.Context, dbPath string) (apply func(context.Context, *pipeline.Extraction) error, closeStore func() error, err error)

// openCrossYear returns the cross-year step for --db; without --db it does
// nothing.
func openCrossYear(ctx context.Context, dbPath string) (func(context.Context, *pipeline.Extraction) error, func(), error) {
	none := func(context.Context, *pipeline.Extraction) error { return nil }
	if dbPath == "" {
		return none, func() {}, nil
	}
	if crossYearHook == nil {
		return nil, nil, usageError("--db: this build cannot apply the cross-year rules")
	}
	apply, closeStore, err := crossYearHook(ctx, dbPath)
	if err != nil {
		if _, ok := err.(*exitError); !ok {
			err = failed(fmt.Errorf("--db %s: %w", dbPath, err))
		}
		return nil, nil, err
	}
	return apply, func() { closeStore() }, nil
}
