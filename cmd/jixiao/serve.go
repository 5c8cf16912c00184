package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/postgres"
	"github.com/jixiao/jixiao/internal/schedule"
	"github.com/jixiao/jixiao/internal/web"
)

func init() { rootCmd.AddCommand(newServeCmd()) }

// serveConfig is what `serve` runs with.
type serveConfig struct {
	addr      string
	db        string
	token     string
	inbox     string
	schedule  string
	maxUpload int64
	log       io.Writer // where the server logs; stderr
}

// shutdownGrace is how long requests in flight may take to finish after
// SIGINT/SIGTERM.
const shutdownGrace = 20 * time.Second

func newServeCmd() *cobra.Command {
	cfg := serveConfig{log: os.Stderr}
	var maxUploadMB int64
	c := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--db PATH] [--token T] [--inbox DIR [--schedule SPEC]]",
		Short: "Serve the reviewers' web interface (and the scheduled intake of a folder)",
		Long: `serve runs the reviewers' web interface: the reports list with filters and
full-text search, each report with its evidence highlighted, an organisation's
year-over-year charts, recurring problems and copied passages, an upload form,
and a JSON API (/api/reports, /api/reports/{id}, /api/trends,
/api/problems/recurring). Every asset is in the binary; the pages make no
request outside this server.

--token (or the JIXIAO_TOKEN environment variable) protects uploads. Without
it anyone who can reach --addr may upload; keep the default loopback address
then. With --inbox, the same process ingests new files from that folder on
--schedule (cron syntax or @every 5m). SIGINT or SIGTERM stops it gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.token == "" {
				cfg.token = os.Getenv("JIXIAO_TOKEN")
			}
			if maxUploadMB < 1 {
				return usageError("--max-upload must be at least 1 (MB)")
			}
			cfg.maxUpload = maxUploadMB << 20
			if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
				return usageError("--addr must be HOST:PORT: %v", err)
			}
			if cfg.inbox == "" && cmd.Flags().Changed("schedule") {
				return usageError("--schedule needs --inbox")
			}
			if _, err := cron.ParseStandard(cfg.schedule); err != nil {
				return usageError("--schedule %q: %v", cfg.schedule, err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			err := runServe(ctx, cfg, func(addr string) {
				fmt.Fprintf(cmd.ErrOrStderr(), "jixiao: serving http://%s/ (store %s)\n", addr, postgres.Redact(cfg.db))
			})
			if err != nil {
				return failed(err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	addDBFlag(c, &cfg.db)
	c.Flags().StringVar(&cfg.token, "token", "", "token required for uploads (default $JIXIAO_TOKEN; none: uploads open)")
	c.Flags().StringVar(&cfg.inbox, "inbox", "", "folder whose new reports are ingested on --schedule")
	c.Flags().StringVar(&cfg.schedule, "schedule", "@every 5m", "when to scan --inbox (cron expression or @every DURATION)")
	c.Flags().Int64Var(&maxUploadMB, "max-upload", web.DefaultMaxUpload>>20, "largest accepted upload, in MB")
	return c
}

// runServe serves until ctx ends, then lets requests in flight finish.
// ready is called with the address actually listened on (useful with port
// 0) once connections are accepted.
func runServe(ctx context.Context, cfg serveConfig, ready func(addr string)) error {
	logger := slog.New(slog.NewTextHandler(cfg.log, nil))
	st, err := openStore(cfg.db)
	if err != nil {
		return err
	}
	defer st.Close()
	ingestUpload, releaseRunner := uploadIngester(st)
	defer releaseRunner()
	handler, err := web.New(web.Options{Store: st, Ingest: ingestUpload, Token: cfg.token,
		MaxUpload: cfg.maxUpload, Log: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	// The intake starts once the port is ours, so a busy port leaves nothing
	// running; on the way out it stops (finishing its document) before the
	// store closes.
	stopIntake, err := startIntake(cfg, st, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopIntake()
	if cfg.token == "" && !isLoopback(ln.Addr()) {
		logger.Warn("uploads are open to anyone who can reach this address; set --token", "addr", ln.Addr().String())
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a large upload on a slow line
		WriteTimeout:      5 * time.Minute, // an upload is read while the client waits
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// uploadIngester reads an uploaded document into the store the way
// `ingest` reads a file: the pipeline, the cross-year rules against the
// store, then one transaction. A document uploaded again is re-read, which
// gives the browser its report id. One runner serves all uploads, one at a
// time (a runner's PDF engine is not safe for concurrent use).
func uploadIngester(st store) (web.IngestFunc, func()) {
	runner, release := newRunner()
	var mu sync.Mutex
	fn := func(ctx context.Context, name string, data []byte) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		res, err := ingest.Document(ctx, st, runner, version, name, data, true)
		if err != nil {
			return 0, err
		}
		if res.Outcome == ingest.Failed {
			return 0, &web.UnreadableError{Reason: res.Reason}
		}
		return res.ReportID, nil
	}
	return fn, release
}

func isLoopback(a net.Addr) bool {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.IsLoopback()
	}
	return false
}

// startIntake starts the scheduled intake of cfg.inbox, when given; the
// returned function stops it, letting the document in hand finish.
func startIntake(cfg serveConfig, st store, logger *slog.Logger) (func(), error) {
	if cfg.inbox == "" {
		return func() {}, nil
	}
	in, err := schedule.New(st, newRunner, cfg.inbox, cfg.schedule, logger)
	if err != nil {
		return nil, err
	}
	in.Version = version
	in.Start()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := in.Stop(ctx); err != nil {
			logger.Error("intake did not stop in time", "err", err)
		}
	}, nil
}
