package ingest

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a batch is: a bar on a terminal, else a plain line
// every Options.Every (logs and CI read those better).
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	every time.Duration
	last  time.Time
	start time.Time
}

func newProgress(o Options, total int) *progress {
	p := &progress{w: o.Progress, total: total, every: o.Every, start: time.Now(), last: time.Now()}
	if p.every <= 0 {
		p.every = 5 * time.Second
	}
	if p.w != nil && o.TTY {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("导入"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("份"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(s Summary) {
	switch {
	case p.w == nil:
	case p.bar != nil:
		p.bar.Add(1)
	case time.Since(p.last) >= p.every:
		p.last = time.Now()
		p.line(s)
	}
}

func (p *progress) finish(s Summary) {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func (p *progress) line(s Summary) {
	done := s.Ingested + s.Present + s.Failed
	rate := float64(done) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "导入：%d/%d 份（新导入 %d，已在库中 %d，未能读取 %d），每秒 %.0f 份\n",
		done, p.total, s.Ingested, s.Present, s.Failed, rate)
}
