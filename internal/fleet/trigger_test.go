package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

type triggeredSkill struct{}

func (triggeredSkill) Manifest() skill.Manifest {
	return skill.Manifest{Name: "test-triggered", Team: "tests", Actions: []proposal.Kind{proposal.Notify},
		Triggers: skill.Triggers{Events: []string{"import:consent"}}}
}

func (triggeredSkill) Run(context.Context, skill.View, []skill.Agent) ([]proposal.Draft, error) {
	return nil, nil
}

func init() { skill.Register(triggeredSkill{}) }

// TestImportTriggersRunsInTheSameTransaction checks an import of consent
// enqueues one run of the skills that declare import:consent, only when the
// import commits, and once however many files arrive before it runs.
func TestImportTriggersRunsInTheSameTransaction(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, st); err != nil {
			t.Fatal(err)
		}
		q, err := jobs.Open(ctx, st, jobs.Config{InsertOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		hook := ImportTrigger(q)
		rollback := errors.New("the import failed")
		err = st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
			if err := hook(ctx, sq, "consent", 10); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		count := func() int {
			res, err := q.JobList(ctx, river.NewJobListParams().Kinds(RunSkillArgs{}.Kind()))
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Jobs)
		}
		if n := count(); n != 0 {
			t.Fatalf("a rolled-back import left %d jobs", n)
		}
		for i := 0; i < 3; i++ {
			if err := st.InTx(ctx, func(ctx context.Context, sq store.Queries) error { return hook(ctx, sq, "consent", 10) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.InTx(ctx, func(ctx context.Context, sq store.Queries) error { return hook(ctx, sq, "people", 10) }); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Fatalf("%d run jobs after three consent imports and one people import, want 1", n)
		}
	})
}

type eventTriggeredSkill struct{}

func (eventTriggeredSkill) Manifest() skill.Manifest {
	return skill.Manifest{Name: "test-event-triggered", Team: "tests", Actions: []proposal.Kind{proposal.Notify},
		Triggers: skill.Triggers{Events: []string{"track:Order Completed", "identify"}}}
}

func (eventTriggeredSkill) Run(context.Context, skill.View, []skill.Agent) ([]proposal.Draft, error) {
	return nil, nil
}

func init() { skill.Register(eventTriggeredSkill{}) }

// TestEventTriggerRunsSkillsOfTheSignals checks the collector's hook: a run
// of a skill is enqueued only for a signal it declares, only when the
// events commit, and once while pending however many signals match.
func TestEventTriggerRunsSkillsOfTheSignals(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, st); err != nil {
			t.Fatal(err)
		}
		q, err := jobs.Open(ctx, st, jobs.Config{InsertOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		hook := EventTrigger(q)
		runs := func() []string {
			res, err := q.JobList(ctx, river.NewJobListParams().Kinds(RunSkillArgs{}.Kind()))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, j := range res.Jobs {
				out = append(out, string(j.EncodedArgs))
			}
			return out
		}
		inTx := func(signals []string, fail error) error {
			return st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
				if err := hook(ctx, sq, signals); err != nil {
					return err
				}
				return fail
			})
		}
		if err := inTx([]string{"page", "track", "track:Signed Up"}, nil); err != nil {
			t.Fatal(err)
		}
		if r := runs(); len(r) != 0 {
			t.Fatalf("signals no skill declares queued %v", r)
		}
		rollback := errors.New("the commit failed")
		if err := inTx([]string{"track:Order Completed"}, rollback); !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if r := runs(); len(r) != 0 {
			t.Fatalf("a rolled-back commit queued %v", r)
		}
		for range 3 {
			if err := inTx([]string{"track", "track:Order Completed", "identify"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		r := runs()
		if len(r) != 1 {
			t.Fatalf("%d runs queued after three commits with matching signals, want 1: %v", len(r), r)
		}
		var args RunSkillArgs
		if err := json.Unmarshal([]byte(r[0]), &args); err != nil {
			t.Fatal(err)
		}
		if args.Skill != "test-event-triggered" || args.Trigger != "event" || args.Event != "track:Order Completed" {
			t.Errorf("queued %+v, want a run of test-event-triggered for track:Order Completed", args)
		}
	})
}
