package action

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

// onBackends runs fn on a fresh SQLite file and, when EnvTestURL is set,
// on a fresh PostgreSQL schema, each seeded with the tiny foundation of
// seed.
func onBackends(t *testing.T, fn func(t *testing.T, st store.Store, w world)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tower.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.MigrateUp(t.Context()); err != nil {
			t.Fatal(err)
		}
		fn(t, st, seed(t, st))
	})
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(postgres.EnvTestURL) == "" {
			t.Skipf("set %s to run on PostgreSQL", postgres.EnvTestURL)
		}
		t.Parallel()
		st := postgres.NewTestStore(t)
		fn(t, st, seed(t, st))
	})
}

// world names what seed wrote.
type world struct {
	ana, bo, cy int64 // people: ana (crm:c1, esp:e1), bo (crm:c2), cy (esp:e9, a duplicate of ana)
}

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// seed writes owners O-1, O-2; accounts A-1 (O-1), A-2; campaigns C-1
// (budget 1000, active), C-2 (budget 200), C-3 (paused); licence figma
// (10 seats); template T-1; and three people.
func seed(t *testing.T, st store.Store) world {
	t.Helper()
	ctx := t.Context()
	check := func(res *store.UpsertResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rejected) > 0 {
			t.Fatalf("seed rejected: %+v", res.Rejected)
		}
	}
	check(st.OwnersUpsert(ctx, &store.OwnersUpsertParams{Owners: []foundation.Owner{{ID: "O-1", Name: "Ana"}, {ID: "O-2", Name: "Bo"}}}))
	check(st.AccountsUpsert(ctx, &store.AccountsUpsertParams{Accounts: []foundation.Account{
		{ID: "A-1", Name: "Acme", OwnerID: "O-1"}, {ID: "A-2", Name: "Globex"}}}))
	check(st.CampaignsUpsert(ctx, &store.CampaignsUpsertParams{Campaigns: []foundation.Campaign{
		{ID: "C-1", Name: "Spring", Channel: "email", Budget: 1000},
		{ID: "C-2", Name: "Summer", Channel: "email", Budget: 200},
		{ID: "C-3", Name: "Old", Channel: "email", Budget: 50},
	}}))
	if _, err := st.FieldSet(ctx, &store.FieldSetParams{Entity: store.EntityCampaign, ID: "C-3", Field: "status", Value: "paused"}); err != nil {
		t.Fatal(err)
	}
	check(st.LicensesUpsert(ctx, &store.LicensesUpsertParams{Licenses: []foundation.License{{Tool: "figma", Seats: 10}}}))
	check(st.TemplatesUpsert(ctx, &store.TemplatesUpsertParams{Templates: []foundation.Template{
		{ID: "T-1", ESP: "mailchimp", Subject: "Hi", Body: "Hello {{name}"}}}))
	check(st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "c1", Email: "ana@x.test", FirstName: "Ana", AccountID: "A-1"},
		{System: "esp", SystemID: "e1", Email: "ana@x.test"},
		{System: "crm", SystemID: "c2", Email: "bo@x.test", FirstName: "Bo"},
		{System: "esp", SystemID: "e9", Email: "ana.w@x.test"},
	}}))
	check(st.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: []foundation.Consent{
		{System: "esp", SystemID: "e1", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: t0.AddDate(0, -1, 0)},
		{System: "esp", SystemID: "e9", Channel: foundation.ChannelEmail, Status: foundation.StatusComplaint, At: t0.AddDate(0, -1, 0)},
	}}))
	id := func(email string) int64 {
		d, err := st.PersonGet(ctx, &store.PersonGetParams{Email: email})
		if err != nil {
			t.Fatal(err)
		}
		return d.Person.ID
	}
	return world{ana: id("ana@x.test"), bo: id("bo@x.test"), cy: id("ana.w@x.test")}
}

// prop builds a proposal of actions, each checked by proposal.Validate.
func prop(t *testing.T, actions ...proposal.Action) *proposal.Proposal {
	t.Helper()
	for i, a := range actions {
		if err := proposal.Validate(a); err != nil {
			t.Fatalf("action %d: %v", i, err)
		}
	}
	return &proposal.Proposal{ID: proposal.NewID(t0), Skill: "test-skill", Agent: "test-agent", Status: proposal.StatusExecuting, Actions: actions}
}

func act(kind proposal.Kind, params map[string]any, targets ...proposal.Target) proposal.Action {
	if params == nil {
		params = map[string]any{}
	}
	return proposal.Action{Kind: kind, Targets: targets, Params: params}
}

func target(tt proposal.TargetType, id string) proposal.Target {
	return proposal.Target{Type: tt, ID: id}
}

func personTarget(id int64) proposal.Target {
	return proposal.Target{Type: proposal.TargetPerson, ID: strconv.FormatInt(id, 10)}
}

var x0 = Context{Owner: "user:olga", Actor: "user:approver", Now: t0}

// mustApply applies p and fails the test on error.
func mustApply(t *testing.T, st store.Store, p *proposal.Proposal) *Report {
	t.Helper()
	rep, err := Apply(t.Context(), st, p, x0)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return rep
}

func mustUndo(t *testing.T, st store.Store, p *proposal.Proposal) {
	t.Helper()
	if err := UndoAll(t.Context(), st, p, x0); err != nil {
		t.Fatalf("UndoAll: %v", err)
	}
}

func campaign(t *testing.T, st store.Reader, id string) foundation.Campaign {
	t.Helper()
	d, err := st.CampaignGet(t.Context(), &store.CampaignGetParams{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return d.Campaign
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// wantChanges compares previews as "target field: before → after" lines.
func wantChanges(t *testing.T, got []proposal.Change, want ...string) {
	t.Helper()
	lines := make([]string, len(got))
	for i, c := range got {
		lines[i] = c.Target.String() + " " + c.Field + ": " + c.Before + " → " + c.After
	}
	if len(lines) != len(want) {
		t.Fatalf("preview = %q, want %q", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("preview[%d] = %q, want %q", i, lines[i], want[i])
		}
	}
}

// auditActions lists the audit log's actions about p, oldest first.
func auditActions(t *testing.T, st store.Store, p *proposal.Proposal) []string {
	t.Helper()
	es, err := st.AuditList(t.Context(), &store.AuditListParams{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Subject == "proposal:"+p.ID {
			out = append(out, e.Action)
		}
	}
	return out
}

func wantIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: err = %v, want %v", what, err, target)
	}
}
