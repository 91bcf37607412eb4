package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/store"
)

// briefEvery is how often `tower serve` looks for briefings due: a
// minute late is on time for a morning digest, and a tick with nobody
// due reads only the audit entries appended since the last one.
const briefEvery = time.Minute

// startBriefer sends people's briefings at their time until stop is
// called. It rereads briefing.toml when the file changes, so a change of
// preferences needs no restart; a bad file is logged with its line and
// the last good preferences stay in force (none at start: no briefings
// are sent until the file is fixed). What was sent is read from the
// audit log, so a restart never sends a day's briefing twice.
func (a *app) startBriefer(ctx context.Context, st store.Store) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	b := &briefer{a: a, st: st}
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(briefEvery)
		defer t.Stop()
		for {
			b.tick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

type briefer struct {
	a  *app
	st store.Store
	// d sends with the preferences last read well; nil before that.
	d *briefing.Deliverer
	// read is the modification time of the file last read (good or bad);
	// missing says there was no file.
	read    time.Time
	missing bool
	loaded  bool
}

// tick reloads changed preferences and sends what is due, turning a
// panic into a logged error.
func (b *briefer) tick(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			b.a.log().ErrorContext(ctx, "briefings: sending failed", "err", fmt.Sprint(r))
		}
	}()
	b.reload(ctx)
	if b.d == nil {
		return
	}
	n, err := b.d.Tick(ctx, time.Now().UTC())
	if err != nil && ctx.Err() == nil {
		b.a.log().ErrorContext(ctx, "briefings", "err", err)
	}
	if n > 0 {
		b.a.log().InfoContext(ctx, "briefings sent", "count", n)
	}
}

func (b *briefer) reload(ctx context.Context) {
	ws, err := b.a.workspace()
	if err != nil {
		return
	}
	fi, err := os.Stat(filepath.Join(ws.Dir, briefing.PrefsFile))
	missing := err != nil
	var mod time.Time
	if !missing {
		mod = fi.ModTime()
	}
	if b.loaded && missing == b.missing && mod.Equal(b.read) {
		return
	}
	b.loaded, b.missing, b.read = true, missing, mod
	prefs, err := b.a.briefingPrefs(ctx, b.st)
	if err != nil {
		b.a.log().ErrorContext(ctx, "briefings: "+briefing.PrefsFile+" is not valid; fix it and Tower rereads it", "err", err)
		return
	}
	// A new deliverer rereads from the audit log what was sent.
	d := b.a.briefingDeliverer(b.st, prefs)
	d.Actor = "system"
	b.d = d
	if !missing {
		b.a.log().InfoContext(ctx, "briefings: preferences read", "file", prefs.File, "people", len(prefs.People))
	}
}
