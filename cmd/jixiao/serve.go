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
	"runtime"
	"strings"
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
	readToken string
	inbox     string
	schedule  string
	maxUpload int64
	// maxUploads bounds the uploads received at once; allowedHosts are the
	// names besides --addr's that requests may be addressed to.
	maxUploads   int
	allowedHosts []string
	// keepFailed is how long the bytes of a document that could not be
	// read are kept; 0 keeps them.
	keepFailed time.Duration
	log        io.Writer // where the server logs; stderr
}

// shutdownGrace is how long requests in flight may take to finish after
// SIGINT/SIGTERM.
const shutdownGrace = 20 * time.Second

// intakeStopDeadline is how long the inbox's run in progress may take to
// stop after SIGINT/SIGTERM, alongside the requests in flight: its
// document's reading and save are cancelled, and one not saved by then is
// abandoned (its transaction never commits) and stays in the inbox.
const intakeStopDeadline = 10 * time.Second

func newServeCmd() *cobra.Command {
	cfg := serveConfig{log: os.Stderr}
	var maxUploadMB int64
	c := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--db PATH] [--token 令牌] [--read-token 令牌] [--allowed-host 名称]... [--inbox 目录 [--schedule 计划]]",
		Short: "启动审核人员的网页界面（以及收件箱的定时导入）",
		Long: `serve 启动审核人员的网页界面：报告列表（按地区、单位、项目、年度、等级、审核状态、
规则筛选，全文搜索，任意列排序），每份报告的发现与高亮原文依据、审核标记与状态、
审核意见书，单位的逐年图表、两个年度对比、反复出现的问题和雷同段落，上传页面，
以及 JSON 接口（/api/reports、/api/reports/{id}、/api/reports/{id}/review、
/api/reports/{id}/marks、/api/reports/{id}/status、/api/reports/{id}/versions、
/api/orgs、/api/trends、/api/problems/recurring）。/healthz 供负载均衡检查
（存储可用时返回 200）。页面所需的一切都在程序内，不访问外部网络。

访问令牌：--token（或环境变量 JIXIAO_TOKEN）保护上传和一切写操作（审核标记、状态）。
浏览器在表单的“访问令牌”一栏填写一次，之后由 Cookie 记住；脚本用请求头
“Authorization: Bearer 令牌”或“X-Jixiao-Token: 令牌”，或 HTTP 基本认证的密码
（curl -u 任意:令牌）。上传时服务先查令牌再读文件：用表单字段 token 时，它须排在
文件字段 file 之前（网页表单即是如此），否则拒绝（401）；没有令牌的请求最多读取 64 KB。
不设 --token 时，凡能访问 --addr 的人都能上传和标记，此时请保持默认的本机地址。
--read-token（或 JIXIAO_READ_TOKEN）让阅读也需要令牌，适用于不在本机回环地址上的服务器：
浏览器会弹出登录框，用户名任意，密码填写令牌；脚本用上述请求头；--token 的令牌也可用于阅读。

主机名：只应答以本服务的名称发来的请求（--addr 的主机、localhost、127.0.0.1、[::1]；
监听 0.0.0.0 或 [::] 时为本机各地址和主机名），其余回答 421，以防 DNS 重绑定攻击。
经反向代理或域名访问时，用 --allowed-host 列出该名称（可重复）。/healthz 不检查主机名。

无法读取的文件（上传或收件箱中的）记录文件名和原因，原件保留 --keep-failed（默认 30 天）后删除。

上限：上传文件不超过 --max-upload；同时处理的上传不超过 --max-uploads，超出的回答 429
并请稍后重试；上传先写入临时目录（$TMPDIR）中的临时文件，结束后即删除。

--inbox 让同一进程按 --schedule（cron 表达式或 @every 5m）导入该文件夹及其子文件夹中的新文件，
导入后移入 done/，读不了的移入 failed/ 并在旁边的 .reason.txt 中说明原因（子文件夹结构保留）。
文件须静置一分钟才取：一分钟内没有修改，且相隔两秒两次查看大小和修改时间不变；
以 .part、.tmp 等结尾或以点开头的文件（及文件夹）是尚在写入的临时文件，改名后才取。
符号链接不跟随读取，命名管道、设备和套接字也不读取，都移入 failed/ 并说明原因。
SIGINT 或 SIGTERM 让服务从容退出：收件箱不再取新文件，正在读取的文件中止且不保存，
留在收件箱下次再取，10 秒内停止；正在处理的网页请求最多再等 20 秒。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.token == "" {
				cfg.token = os.Getenv("JIXIAO_TOKEN")
			}
			if cfg.readToken == "" {
				cfg.readToken = os.Getenv("JIXIAO_READ_TOKEN")
			}
			if maxUploadMB < 1 {
				return usageError("--max-upload 至少为 1（MB）")
			}
			cfg.maxUpload = maxUploadMB << 20
			if cfg.keepFailed < 0 {
				return usageError("--keep-failed 不能为负")
			}
			if cfg.maxUploads < 1 {
				return usageError("--max-uploads 至少为 1")
			}
			for _, h := range cfg.allowedHosts {
				if h == "" || strings.ContainsAny(h, "/ ") {
					return usageError("--allowed-host %q 应为主机名或 IP 地址（不含 http:// 和路径）", h)
				}
			}
			if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
				return usageError("--addr 应写作 主机:端口：%v", err)
			}
			if cfg.inbox == "" && cmd.Flags().Changed("schedule") {
				return usageError("--schedule 需要与 --inbox 一起使用")
			}
			if _, err := cron.ParseStandard(cfg.schedule); err != nil {
				return usageError("--schedule %q: %v", cfg.schedule, err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			err := runServe(ctx, cfg, func(addr string) {
				fmt.Fprintf(cmd.ErrOrStderr(), "jixiao：网页界面 http://%s/ （存储 %s）\n", addr, postgres.Redact(cfg.db))
			})
			if err != nil {
				return failed(err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "监听地址 主机:端口")
	addDBFlag(c, &cfg.db)
	c.Flags().StringVar(&cfg.token, "token", "", "上传和审核标记所需的访问令牌（默认取 $JIXIAO_TOKEN；不设则任何能访问者都可写）")
	c.Flags().StringVar(&cfg.readToken, "read-token", "", "阅读所需的访问令牌（默认取 $JIXIAO_READ_TOKEN；不设则阅读不需令牌）")
	c.Flags().StringVar(&cfg.inbox, "inbox", "", "按 --schedule 导入其中新文件的收件箱文件夹")
	c.Flags().StringVar(&cfg.schedule, "schedule", "@every 5m", "扫描 --inbox 的时间（cron 表达式或 @every 时长）")
	c.Flags().Int64Var(&maxUploadMB, "max-upload", web.DefaultMaxUpload>>20, "上传文件的大小上限（MB）")
	c.Flags().IntVar(&cfg.maxUploads, "max-uploads", runtime.NumCPU(), "同时处理的上传数上限（本机 CPU 数），超出的回答 429")
	c.Flags().DurationVar(&cfg.keepFailed, "keep-failed", 30*24*time.Hour, "无法读取的文件的原件保留多久，过后删除原件（文件名、原因和时间仍保留）；0 表示一直保留")
	c.Flags().StringArrayVar(&cfg.allowedHosts, "allowed-host", nil, "除 --addr 外请求可使用的主机名（反向代理或域名访问时填写，可重复）")
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
	// The bytes of failures past --keep-failed go now and hourly.
	defer startPruning(st, cfg.keepFailed, logger)()
	ingestUpload, releaseRunner := uploadIngester(st)
	defer releaseRunner()
	handler, err := web.New(web.Options{Store: st, Ingest: ingestUpload, Token: cfg.token, ReadToken: cfg.readToken,
		MaxUpload: cfg.maxUpload, MaxUploads: cfg.maxUploads, AllowedHosts: web.ListenHosts(cfg.addr, cfg.allowedHosts), Log: logger})
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
	if !isLoopback(ln.Addr()) {
		if cfg.token == "" {
			logger.Warn("任何能访问此地址的人都能上传和记录审核意见；请设置 --token", "addr", ln.Addr().String())
		}
		if cfg.readToken == "" {
			logger.Warn("任何能访问此地址的人都能阅读报告；需要时请设置 --read-token", "addr", ln.Addr().String())
		}
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
	logger.Info("正在停止")
	// The intake stops beside the requests in flight, each within its own
	// deadline, before the store closes.
	intakeStopped := make(chan struct{})
	go func() { defer close(intakeStopped); stopIntake() }()
	defer func() { <-intakeStopped }()
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
// `ingest` reads a file (ingest.Upload): the pipeline, the cross-year rules
// against the store, then one transaction for all its reports. A document
// uploaded again is not read again: the browser is shown its stored
// reports. One runner serves
// all uploads, one at a time (a runner's PDF engine is not safe for
// concurrent use).
func uploadIngester(st store) (web.IngestFunc, func()) {
	runner, release := newRunner()
	turn := make(chan struct{}, 1) // a lock that a client who left stops waiting for
	fn := func(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
		select {
		case turn <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		defer func() { <-turn }()
		res, err := ingest.Upload(ctx, st, runner, version, name, data, force)
		switch {
		case err != nil:
			return nil, err
		case res.Outcome == ingest.Failed:
			return nil, &web.UnreadableError{Reason: res.Reason}
		case res.Outcome == ingest.Present:
			return nil, &web.PresentError{ReportIDs: res.ReportIDs}
		}
		return res.ReportIDs, nil
	}
	return fn, release
}

// pruneEvery is how often serve drops the originals of failures past
// --keep-failed.
const pruneEvery = time.Hour

// startPruning drops the original bytes of the documents that failed more
// than keep ago (none when keep is 0): once before it returns, then every
// pruneEvery. The returned function stops it and waits.
func startPruning(st store, keep time.Duration, logger *slog.Logger) func() {
	if keep == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	dropFailed(ctx, st, keep, logger)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(pruneEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				dropFailed(ctx, st, keep, logger)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func dropFailed(ctx context.Context, st store, keep time.Duration, logger *slog.Logger) {
	n, err := st.DropFailedOriginals(ctx, time.Now().Add(-keep))
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("删除过期的无法读取文件的原件时出错", "err", err)
	case n > 0:
		logger.Info("已删除过期的无法读取文件的原件", "count", n, "keep", keep.String())
	}
}

func isLoopback(a net.Addr) bool {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.IsLoopback()
	}
	return false
}

// startIntake starts the scheduled intake of cfg.inbox, when given; the
// returned function stops it within intakeStopDeadline (see there), and
// does nothing when called again.
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
	return sync.OnceFunc(func() {
		ctx, cancel := context.WithTimeout(context.Background(), intakeStopDeadline)
		defer cancel()
		if err := in.Stop(ctx); err != nil {
			logger.Warn("收件箱未能按时停止：正在读取的文件未保存，留在收件箱，下次再取",
				"期限", intakeStopDeadline, "err", err)
		}
	}), nil
}
