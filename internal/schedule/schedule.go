// Package schedule is the scheduled intake of an inbox folder: on a
// robfig/cron/v3 schedule it ingests the files that have arrived, then moves
// each to done/ or to failed/ (beside a .reason.txt). It never deletes a
// file, waits for files still being written, and stops gracefully,
// finishing the document in hand.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/pipeline/run"
)

// Subfolders of the inbox the files are moved to.
const (
	DoneDir   = "done"
	FailedDir = "failed"
)

// Intake watches one inbox. Set the exported fields before Start.
type Intake struct {
	// Settle is how long a file's size and modification time must stay the
	// same before it is read (it may still be being written); default 2 s.
	Settle time.Duration
	// MaxWait is how long a file may keep changing before it is given up
	// and moved to failed/; default 30 min.
	MaxWait time.Duration
	// Version is the extractor version recorded with each document.
	Version string

	store   ingest.Store
	runners ingest.RunnerFactory
	inbox   string
	log     *slog.Logger
	cron    *cron.Cron
	sched   cron.Schedule
	job     cron.Job

	stopCtx  context.Context
	stopNow  context.CancelFunc
	mu       sync.Mutex
	stopped  bool
	running  sync.WaitGroup
	changing map[string]time.Time // files seen changing, since when
}

// New prepares the intake of inbox on the cron spec ("@every 5m",
// "*/10 * * * *"). It creates the inbox and its done/ and failed/ folders.
// A nil logger logs to slog.Default().
func New(store ingest.Store, runners ingest.RunnerFactory, inbox, spec string, logger *slog.Logger) (*Intake, error) {
	if logger == nil {
		logger = slog.Default()
	}
	if store == nil || runners == nil {
		return nil, errors.New("schedule: store and runner factory are required")
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	for _, d := range []string{inbox, filepath.Join(inbox, DoneDir), filepath.Join(inbox, FailedDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
	}
	in := &Intake{
		Settle: 2 * time.Second, MaxWait: 30 * time.Minute,
		store: store, runners: runners, inbox: inbox, sched: sched,
		log:      logger.With("inbox", inbox),
		changing: map[string]time.Time{},
	}
	in.stopCtx, in.stopNow = context.WithCancel(context.Background())
	cl := cronLogger{in.log}
	// One chain for the scheduled runs and the run at Start, so they never
	// overlap: a run still going when the next is due is skipped, and a
	// panic is logged instead of ending the process.
	in.job = cron.NewChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)).Then(cron.FuncJob(in.runOnce))
	in.cron = cron.New(cron.WithLogger(cl))
	in.cron.Schedule(sched, in.job)
	return in, nil
}

// Start runs the intake once now and then on the schedule.
func (in *Intake) Start() {
	in.log.Info("收件箱已启动", "下次运行", in.nextRun().Format(time.DateTime))
	in.cron.Start()
	go in.job.Run()
}

// Stop ends the schedule. A run in progress finishes the document in hand
// and takes no other; Stop waits for it or for ctx.
func (in *Intake) Stop(ctx context.Context) error {
	in.mu.Lock()
	in.stopped = true
	in.mu.Unlock()
	in.stopNow()
	<-in.cron.Stop().Done()
	done := make(chan struct{})
	go func() { in.running.Wait(); close(done) }()
	select {
	case <-done:
		in.log.Info("收件箱已停止")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("intake stop: %w", ctx.Err())
	}
}

// RunOnce takes in what the inbox holds now, as a scheduled run does, and
// returns when done. It never overlaps another run: if one is going, it
// returns at once (SkipIfStillRunning).
func (in *Intake) RunOnce() { in.job.Run() }

// nextRun is when the schedule next runs after now (the cron's own entry
// knows it only once started, and said 0001-01-01 before).
func (in *Intake) nextRun() time.Time { return in.sched.Next(time.Now()) }

// runOnce is one scheduled run.
func (in *Intake) runOnce() {
	in.mu.Lock()
	if in.stopped {
		in.mu.Unlock()
		return
	}
	in.running.Add(1)
	in.mu.Unlock()
	defer in.running.Done()

	ready, err := in.readyFiles()
	if err != nil {
		in.log.Error("扫描收件箱失败", "err", err)
		return
	}
	if len(ready) == 0 {
		return
	}
	runner, release := in.runners()
	defer release()
	counts := map[ingest.Outcome]int{}
	reports := 0 // of the files taken in: a workbook may hold several
	// Files of one run may arrive in any year order: reports a save made
	// stale are judged again once, when the run ends.
	session := ingest.NewSession(in.store)
	defer func() {
		if err := session.End(context.Background(), 1); err != nil {
			in.log.Error("跨年度规则重新比对失败", "err", err)
		}
	}()
	for _, path := range ready {
		if in.stopCtx.Err() != nil {
			in.log.Info("正在停止：其余文件留在收件箱中", "剩余", len(ready)-sum(counts))
			break
		}
		// The document in hand finishes even when Stop is called.
		res, err := in.take(context.Background(), session, runner, path)
		if err != nil {
			in.log.Error("存储出错，文件留在收件箱，下次再取", "file", path, "err", err)
			continue
		}
		counts[res.Outcome]++
		reports += len(res.ReportIDs)
	}
	in.log.Info("本次收件完成", "新导入", counts[ingest.Ingested], "新报告", reports, "已在库中", counts[ingest.Present],
		"未能读取", counts[ingest.Failed], "下次运行", in.nextRun().Format(time.DateTime))
}

func sum(m map[ingest.Outcome]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// take ingests one file and moves it out of the inbox. A store error leaves
// the file where it is.
func (in *Intake) take(ctx context.Context, session *ingest.Session, runner *run.Runner, path string) (ingest.Result, error) {
	data, err := ingest.ReadFile(path)
	var res ingest.Result
	if err != nil {
		res = ingest.Result{Path: path, Outcome: ingest.Failed, Reason: ingest.ReasonZH(err.Error())}
	} else {
		res, err = session.Document(ctx, runner, in.Version, path, data, false)
		if err != nil {
			return res, err
		}
	}
	switch res.Outcome {
	case ingest.Busy:
		// Another worker on this inbox is reading it and moves it; if it
		// dies first, the file is still here for the next run.
		in.log.Info("另一台机器正在读取此文件", "file", filepath.Base(path))
		return res, nil
	case ingest.Failed:
		in.log.Warn("未能读取", "file", filepath.Base(path), "reason", res.Reason)
		return res, in.moveFailed(path, res.Reason)
	case ingest.Present:
		in.log.Info("已在库中", "file", filepath.Base(path), "sha256", res.SHA256)
	default:
		in.log.Info("已导入", "file", filepath.Base(path), "report_ids", res.ReportIDs,
			"organization", res.Org, "year", res.Year)
	}
	_, err = moveInto(path, filepath.Join(in.inbox, DoneDir))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // moved already by another worker that found it stored
	}
	return res, err
}

func (in *Intake) moveFailed(path, reason string) error {
	dst, err := moveInto(path, filepath.Join(in.inbox, FailedDir))
	if err != nil {
		return err
	}
	return os.WriteFile(dst+".reason.txt", []byte(ingest.ReasonZH(reason)+"\n"), 0o644)
}

// moveInto renames path into dir under its own name, or name-1, name-2, …
// when that is taken: a file is never overwritten.
func moveInto(path, dir string) (string, error) {
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		dst := filepath.Join(dir, name)
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if _, err := os.Lstat(dst + ".reason.txt"); err == nil {
			continue
		}
		if err := os.Rename(path, dst); err != nil {
			return "", err
		}
		return dst, nil
	}
}

// cronLogger hands cron's log lines to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
