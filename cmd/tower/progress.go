package main

import (
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows bars for long work, one per step, but only when stderr is
// a terminal: piped or logged output gets no control characters.
type progress struct {
	mu      sync.Mutex
	enabled bool
	step    string
	bar     *progressbar.ProgressBar
}

func (a *app) newProgress() *progress {
	f, ok := a.stderr.(*os.File)
	return &progress{enabled: ok && term.IsTerminal(int(f.Fd()))}
}

// update moves the bar of step to done out of total (total < 0: unknown).
func (p *progress) update(step string, done, total int64, bytes bool) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || step != p.step {
		p.finishLocked()
		p.step = step
		opts := []progressbar.Option{
			progressbar.OptionSetDescription(step),
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100_000_000),
			progressbar.OptionClearOnFinish(),
		}
		if bytes {
			opts = append(opts, progressbar.OptionShowBytes(true))
		}
		p.bar = progressbar.NewOptions64(total, opts...)
	}
	_ = p.bar.Set64(done)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
}

func (p *progress) finishLocked() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
