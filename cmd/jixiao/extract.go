package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

func init() { rootCmd.AddCommand(newExtractCmd()) }

func newExtractCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "extract [--format json|text] FILE...",
		Short: "Extract a report's figures as the v1 JSON contract",
		Long: `extract reads each FILE (text, PDF, Word .docx/.doc/.wps, Excel
.xlsx/.xls, told apart by their bytes) and prints what it found: the
organisation, project, year, budget, line items, indicator table, score,
grade, problems, suggestions, sections and dates, each with evidence, and the
findings of the consistency checks. With several files, or a workbook that
holds several projects' forms (one report each, with source.sheet), JSON
comes out as JSON Lines (one object per line). Exit status: 0 when every file was read,
1 when some file could not be read (the others are still processed), 2 for
usage errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "text" {
				return usageError("--format must be json or text, not %q", format)
			}
			return forEachFile(cmd.Context(), args, func(ext *pipeline.Extraction) error {
				if format == "text" {
					return writeExtractText(cmd.OutOrStdout(), ext)
				}
				return writeJSONLine(cmd.OutOrStdout(), ext)
			})
		},
	}
	c.Flags().StringVar(&format, "format", "json", "output format: json or text")
	return c
}

// forEachFile runs the pipeline over each file and hands every extraction to
// out, in the order of files (a workbook's reports in sheet order). Files are read on every core, one pipeline
// (and PDF engine) per worker; out sees them one at a time. A file that
// cannot be read is reported on stderr with its reason and the others go
// on; the result is then an exit-1 error.
func forEachFile(ctx context.Context, files []string, out func(*pipeline.Extraction) error) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := readAll(ctx, files, runtime.GOMAXPROCS(0))
	bad := 0
	var outErr error
	for i := range files {
		r := <-results[i]
		switch {
		case outErr != nil:
		case r.err != nil:
			bad++
			fmt.Fprintln(os.Stderr, "jixiao:", r.err)
		default:
			for _, ext := range r.exts {
				if err := out(ext); err != nil {
					outErr = err
					cancel() // stop reading; drain what is in flight
					break
				}
			}
		}
	}
	if outErr != nil {
		return outErr
	}
	if bad > 0 {
		return failed(fmt.Errorf("%d of %d files could not be read", bad, len(files)))
	}
	return nil
}

type readResult struct {
	exts []*pipeline.Extraction // one per report the file holds
	err  error
}

// readAll reads files on workers goroutines and returns one channel per
// file, each receiving that file's result. At most a few files per worker
// are read ahead of the one the caller waits for, so memory stays bounded
// however many files there are.
func readAll(ctx context.Context, files []string, workers int) []chan readResult {
	workers = max(1, min(workers, len(files)))
	results := make([]chan readResult, len(files))
	for i := range results {
		results[i] = make(chan readResult, 1)
	}
	jobs := make(chan int)
	ahead := make(chan struct{}, 4*workers) // files read but not yet taken
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				for ; i < len(files); i++ {
					results[i] <- readResult{err: fmt.Errorf("%s: %w", files[i], ctx.Err())}
				}
				return
			}
			jobs <- i
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			runner, closeRunner := newRunner()
			defer closeRunner()
			for i := range jobs {
				exts, err := readOne(ctx, runner, files[i])
				results[i] <- readResult{exts, err}
				<-ahead
			}
		}()
	}
	return results
}

// maxFileSize bounds what one report may weigh; larger files are refused
// before they are read into memory.
const maxFileSize = 256 << 20

func readOne(ctx context.Context, runner *run.Runner, path string) ([]*pipeline.Extraction, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s: file too large (%d bytes, limit %d)", path, st.Size(), maxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	return runner.Reports(ctx, filepath.Base(path), data)
}

// fileError names the file first, as every per-file error does:
// "report.txt: no such file or directory", not "stat report.txt: …".
func fileError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
