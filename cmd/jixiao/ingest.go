package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/pipeline"
)

func init() {
	rootCmd.AddCommand(newIngestCmd())
	crossYearHook = storeCrossYear
}

func storeCrossYear(ctx context.Context, dbPath string) (func(context.Context, *pipeline.Extraction) error, func() error, error) {
	st, err := openExistingStore(dbPath)
	if err != nil {
		return nil, nil, err
	}
	apply := func(ctx context.Context, ext *pipeline.Extraction) error { return ingest.CrossYear(ctx, st, ext) }
	return apply, st.Close, nil
}

func newIngestCmd() *cobra.Command {
	var (
		db        string
		workers   int
		reprocess bool
		asJSON    bool
	)
	c := &cobra.Command{
		Use:   "ingest [--db PATH] [--workers N] [--reprocess] PATH...",
		Short: "Read reports into the store (folders walked, already stored ones skipped)",
		Long: `ingest reads every report under each PATH (a file, or a folder walked for
*.txt, *.text, *.pdf, *.docx, *.xlsx, *.doc, *.xls, *.wps, and any file whose bytes are a PDF,
Word or Excel file; other files are listed as skipped, hidden entries are
left out) into the store, several at
once, one transaction per document: killed half-way, running the same command
again finishes the job. A document whose sha256 is stored already is skipped;
one that cannot be read is recorded with its reason. The cross-year rules
(history.*) compare each report with the same organisation's earlier years.
--reprocess re-extracts documents already stored (after an extractor
upgrade); with no PATH it re-extracts every stored document from its kept
original. Exit status 1 when some document failed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !reprocess {
				return usageError("ingest needs at least one PATH (or --reprocess)")
			}
			if workers < 0 {
				return usageError("--workers must be 0 (twice the number of CPUs) or more")
			}
			st, err := openStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			sum, err := ingest.Run(ctx, st, args, ingest.Options{
				Runners:   newRunner,
				Workers:   workers,
				Reprocess: reprocess,
				Version:   version,
				Progress:  os.Stderr,
				TTY:       isTerminal(os.Stderr),
			})
			if err != nil {
				if ctx.Err() != nil {
					sum.Write(cmd.ErrOrStderr())
					return failed(fmt.Errorf("interrupted; run the same command again to finish"))
				}
				return failed(err)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(sum); err != nil {
					return err
				}
			} else {
				sum.Write(cmd.OutOrStdout())
			}
			if sum.Failed > 0 {
				return failed(nil)
			}
			return nil
		},
	}
	addDBFlag(c, &db)
	c.Flags().IntVarP(&workers, "workers", "j", 0, "documents read at once (0: twice the number of CPUs, so reading overlaps the single writer)")
	c.Flags().BoolVar(&reprocess, "reprocess", false, "re-extract documents already stored")
	c.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return c
}
