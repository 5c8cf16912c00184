// Package schedule is the scheduled intake of an inbox folder: on a
// robfig/cron/v3 schedule it ingests the files that have arrived, in its
// subfolders too, then moves each to done/ or to failed/ (beside a
// .reason.txt), under the subfolder it was in. It never deletes a file,
// waits for files still being written, never follows a symbolic link nor
// opens a pipe or a device (they go to failed/ with why), and stops
// promptly: the document in hand is cancelled and rolled back, and stays
// in the inbox for the next run.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	// Settle is the time between the two looks of a run at the files,
	// whose size and modification time must be the same at both; default
	// 2 s.
	Settle time.Duration
	// Quiet is how long ago a file must have been modified last to be
	// read: a writer may pause (a slow line, a stalled share) with the file
	// half written; default DefaultQuiet.
	Quiet time.Duration
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

	stopCtx   context.Context
	stopNow   context.CancelFunc
	mu        sync.Mutex
	stopped   bool
	running   sync.WaitGroup
	changing  map[string]time.Time // files seen changing, since when
	temporary map[string]bool      // temporary names seen (logged once)
}

// DefaultQuiet is the default Quiet: far longer than a writer's pause
// mid-file, short beside the usual schedule.
const DefaultQuiet = time.Minute

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
		Settle: 2 * time.Second, Quiet: DefaultQuiet, MaxWait: 30 * time.Minute,
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

// Stop ends the schedule. A run in progress takes no other file, and the
// document in hand is cancelled (its reading, its save's transaction) and
// left in the inbox, unless its save is done; Stop waits for that or for
// ctx, after which the run is abandoned, its document never saved.
func (in *Intake) Stop(ctx context.Context) error {
	in.mu.Lock()
	in.stopped = true
	in.mu.Unlock()
	in.stopNow()
	in.cron.Stop() // its own wait for the run in progress is not bounded by ctx
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

	ready, refused, err := in.readyFiles()
	if err != nil {
		in.log.Error("扫描收件箱失败", "err", err)
		return
	}
	if len(ready) > 0 || len(refused) > 0 {
		in.takeAll(in.stopCtx, ready, refused)
	}
}

// takeAll moves what is refused to failed/, and takes in the ready files
// one by one until ctx ends.
func (in *Intake) takeAll(ctx context.Context, ready []string, refused map[string]string) {
	counts := map[ingest.Outcome]int{}
	for _, path := range slices.Sorted(maps.Keys(refused)) {
		in.refuse(path, refused[path])
		counts[ingest.Failed]++
	}
	reports := 0 // of the files taken in: a workbook may hold several
	if len(ready) > 0 {
		reports = in.takeReady(ctx, ready, counts)
	}
	in.log.Info("本次收件完成", "新导入", counts[ingest.Ingested], "新报告", reports, "已在库中", counts[ingest.Present],
		"未能读取", counts[ingest.Failed], "下次运行", in.nextRun().Format(time.DateTime))
}

// takeReady takes in the ready files until ctx ends, counting their
// outcomes, and returns how many reports they held.
func (in *Intake) takeReady(ctx context.Context, ready []string, counts map[ingest.Outcome]int) (reports int) {
	runner, release := in.runners()
	defer release()
	// Files of one run may arrive in any year order: reports a save made
	// stale are judged again once, when the run ends.
	session := ingest.NewSession(in.store)
	defer in.endSession(ctx, session)
	for i, path := range ready {
		if ctx.Err() != nil {
			in.log.Info("正在停止：其余文件留在收件箱中", "剩余", len(ready)-i)
			break
		}
		res, err := in.take(ctx, session, runner, path)
		if err != nil {
			in.leave(ctx, path, err)
			continue
		}
		counts[res.Outcome]++
		reports += len(res.ReportIDs)
	}
	return reports
}

// endSession judges the reports the run's saves made stale; when stopping,
// their marks in the store leave them to the next run.
func (in *Intake) endSession(ctx context.Context, session *ingest.Session) {
	err := session.End(ctx, 1)
	switch {
	case err != nil && ctx.Err() != nil:
		in.log.Info("正在停止：跨年度规则的重新比对留待下次运行")
	case err != nil:
		in.log.Error("跨年度规则重新比对失败", "err", err)
	}
}

// leave logs a file left in the inbox for the next run: stopping, or the
// store failed.
func (in *Intake) leave(ctx context.Context, path string, err error) {
	if ctx.Err() != nil {
		in.log.Info("正在停止：此文件未保存，留在收件箱，下次再取", "file", in.rel(path))
		return
	}
	in.log.Error("存储出错，文件留在收件箱，下次再取", "file", in.rel(path), "err", err)
}

// refuse moves what is no regular file (a link, a pipe) to failed/ without
// opening it, with why.
func (in *Intake) refuse(path, why string) {
	reason := in.rel(path) + "：" + why
	in.log.Warn("未能读取", "file", in.rel(path), "reason", reason)
	// Not there any more: moved by another worker on this inbox.
	if err := in.moveFailed(path, reason); err != nil && !errors.Is(err, fs.ErrNotExist) {
		in.log.Error("无法移入 failed/", "file", in.rel(path), "err", err)
	}
}

// take ingests one file and moves it out of the inbox. A store error leaves
// the file where it is.
func (in *Intake) take(ctx context.Context, session *ingest.Session, runner *run.Runner, path string) (ingest.Result, error) {
	in.log.Info("正在读取", "file", in.rel(path))
	data, err := ingest.ReadFound(in.inbox, path)
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
		in.log.Info("另一台机器正在读取此文件", "file", in.rel(path))
		return res, nil
	case ingest.Failed:
		in.log.Warn("未能读取", "file", in.rel(path), "reason", res.Reason)
		return res, in.moveFailed(path, res.Reason)
	case ingest.Present:
		in.log.Info("已在库中", "file", in.rel(path), "sha256", res.SHA256)
	default:
		in.log.Info("已导入", "file", in.rel(path), "report_ids", res.ReportIDs,
			"organization", res.Org, "year", res.Year)
	}
	err = in.moveDone(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // moved already by another worker that found it stored
	}
	return res, err
}

func (in *Intake) moveFailed(path, reason string) error {
	root, err := os.OpenRoot(in.inbox)
	if err != nil {
		return err
	}
	defer root.Close()
	dst, err := in.moveTo(root, path, FailedDir)
	if err != nil {
		return err
	}
	// A new file, never one planted there (a link is not written through).
	f, err := root.OpenFile(dst+".reason.txt", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(ingest.ReasonZH(reason) + "\n")
	return errors.Join(err, f.Close())
}

func (in *Intake) moveDone(path string) error {
	root, err := os.OpenRoot(in.inbox)
	if err != nil {
		return err
	}
	defer root.Close()
	_, err = in.moveTo(root, path, DoneDir)
	return err
}

// moveTo moves path into the inbox's folder sub (done, failed), under the
// subfolder it was found in, and returns where to, relative to the inbox.
// It moves within root, the inbox: a folder on the way swapped for a link
// out of the inbox is refused, never followed.
func (in *Intake) moveTo(root *os.Root, path, sub string) (string, error) {
	dir := filepath.Join(sub, filepath.Dir(in.rel(path)))
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return moveInto(root, in.rel(path), dir)
}

// moveInto renames name into dir, both in root, under its own name, or
// name-1, name-2, … when that is taken: a file is never overwritten.
func moveInto(root *os.Root, name, dir string) (string, error) {
	base := filepath.Base(name)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 0; ; i++ {
		to := base
		if i > 0 {
			to = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		dst := filepath.Join(dir, to)
		if _, err := root.Lstat(dst); err == nil {
			continue
		}
		if _, err := root.Lstat(dst + ".reason.txt"); err == nil {
			continue
		}
		if err := root.Rename(name, dst); err != nil {
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
