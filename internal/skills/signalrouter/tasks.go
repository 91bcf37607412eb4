package signalrouter

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// The skill recognises its own tasks by lines at the end of their notes.
// A task has no field for "which signal was this" or "which skill asked",
// and the note is the one place a person reads too, so the lines are
// written plainly:
//
//	Signal ref: demo_request person:42 at 2026-10-31T14:05:00Z
//	Escalates task: p_01j.../0
const (
	refPrefix       = "Signal ref: "
	escalatesPrefix = "Escalates task: "
)

// signalRef is a signal's identity.
type signalRef struct {
	Kind   Kind
	Person int64
	At     time.Time
}

func (r signalRef) String() string {
	return fmt.Sprintf("%s person:%d at %s", r.Kind, r.Person, r.At.UTC().Format(time.RFC3339))
}

// parseRef reads a ref written by String.
func parseRef(s string) (signalRef, bool) {
	f := strings.Fields(s)
	if len(f) != 4 || f[2] != "at" || !strings.HasPrefix(f[1], "person:") {
		return signalRef{}, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(f[1], "person:"), 10, 64)
	if err != nil {
		return signalRef{}, false
	}
	at, err := time.Parse(time.RFC3339, f[3])
	if err != nil {
		return signalRef{}, false
	}
	return signalRef{Kind: Kind(f[0]), Person: id, At: at.UTC()}, true
}

// routerTask is a task this skill asked for: a routing task (Refs set)
// or an escalation task (Escalates set, and the Refs it carries over).
type routerTask struct {
	store.Task
	Refs      []signalRef
	Escalates string
}

// parseNote finds the skill's lines in a task note; ok is false for
// anyone else's task.
func parseNote(t store.Task) (routerTask, bool) {
	rt := routerTask{Task: t}
	for _, line := range strings.Split(t.Note, "\n") {
		line = strings.TrimSpace(line)
		if s, ok := strings.CutPrefix(line, refPrefix); ok {
			if r, ok := parseRef(s); ok {
				rt.Refs = append(rt.Refs, r)
			}
		}
		if s, ok := strings.CutPrefix(line, escalatesPrefix); ok {
			rt.Escalates = strings.TrimSpace(s)
		}
	}
	return rt, len(rt.Refs) > 0 || rt.Escalates != ""
}

// Person returns the person the task is about, from its refs.
func (t routerTask) Person() int64 {
	if len(t.Refs) == 0 {
		return 0
	}
	return t.Refs[0].Person
}

const taskPage = 5000

// allTasks reads every task the view shows.
func allTasks(ctx context.Context, v skill.View) ([]store.Task, error) {
	out, err := store.ReadAll(taskPage, func(p store.Page) ([]store.Task, error) {
		return v.TasksList(ctx, &store.TasksListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("read tasks: %w", err)
	}
	return out, nil
}
