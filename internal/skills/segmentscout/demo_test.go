package segmentscout

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestDemoHiddenSegment runs the skill on a generated demo of 10,000
// people and compares its top proposal with the planted segment (Logistics
// accounts, "Operations" in the title, two or more "Pricing Viewed"
// events): the proposed rule, evaluated by the database, must pick out the
// planted members with high precision and recall. A second search, for an
// event nothing was planted on, must confirm nothing or say how much.
func TestDemoHiddenSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo")
	}
	ctx := context.Background()
	bundle := filepath.Join(t.TempDir(), "bundle")
	truth, err := demo.Generate(ctx, bundle, demo.Config{Seed: 1, People: 10000, Accounts: 1000})
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.DateOnly, truth.Now)
	if err != nil {
		t.Fatal(err)
	}
	var fact *demo.SegmentFact
	for _, f := range truth.Facts {
		if f.Kind == demo.KindHiddenSegment {
			fact = f.Segment
		}
	}
	if fact == nil {
		t.Fatal("the demo planted no segment")
	}
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		if _, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: "-"}); err != nil {
			t.Fatal(err)
		}
		v := skill.NewView(st, now, nil, nil)
		p, err := Skill{}.Manifest().Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		drafts, err := Skill{}.Run(ctx, v, []skill.Agent{{Name: "scout", Params: p}})
		if err != nil {
			t.Fatal(err)
		}
		if len(drafts) == 0 {
			t.Fatal("no segment proposed")
		}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			t.Logf("proposed %s: %s (expected %.1f extra conversions)", d.Actions[0].Params["segment"], d.Actions[0].Params["rule"], d.ExpectedValue.Conversions)
		}
		top := drafts[0].Actions[0]
		if top.Kind != proposal.CreateSegment {
			t.Fatalf("top proposal is %s", top.Kind)
		}
		rule := top.Params["rule"].(string)
		prev, err := st.SegmentPreview(ctx, &store.SegmentPreviewParams{Rule: rule, Now: now, Sample: 1 << 20})
		if err != nil {
			t.Fatalf("the proposed rule does not run: %v", err)
		}
		users, err := userIDs(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, id := range prev.Sample {
			if u := users[id]; u != "" {
				got[u] = true
			}
		}
		hit := 0
		for _, u := range fact.MemberUserIDs {
			if got[u] {
				hit++
			}
		}
		precision := float64(hit) / float64(max(1, len(got)))
		recall := float64(hit) / float64(len(fact.MemberUserIDs))
		t.Logf("top rule %s: %d people with events match, %d planted members, precision %.2f recall %.2f", rule, len(got), len(fact.MemberUserIDs), precision, recall)
		if precision < 0.8 || recall < 0.8 {
			t.Errorf("top proposal %q does not match the planted segment %q: precision %.2f recall %.2f", rule, fact.Rule, precision, recall)
		}

		// Once saved, the segment is no longer new: the next run says which
		// saved segment covers it and does not propose it again.
		if _, err := st.SegmentSave(ctx, &store.SegmentSaveParams{ID: top.Params["segment"].(string), Name: top.Params["name"].(string), Rule: rule, CreatedBy: "user:test", Now: now}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: top.Params["segment"].(string), Full: true, Now: now}); err != nil {
			t.Fatal(err)
		}
		again, err := Scout(ctx, v, optionsOf(p))
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Covered) == 0 || again.Covered[0].Rule != rule || slices.ContainsFunc(again.New, func(c Candidate) bool { return c.Rule == rule }) {
			t.Errorf("after saving, the planted segment is still proposed: new %d, covered %d", len(again.New), len(again.Covered))
		} else {
			t.Logf("after saving: %s", again.Covered[0].Why)
		}

		// Nothing was planted on who downloads a whitepaper.
		found, err := Scout(ctx, v, Options{ConversionEvent: "Whitepaper Downloaded", Window: 180 * 24 * time.Hour, MinSize: 30, Depth: 3, FDR: 0.05, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("whitepaper downloads: %d people, %d downloaded, %d groups tested, %d confirmed", found.Search.Rows, found.Search.Conversions, found.Search.Tested, found.Search.ConfirmedCount)
		for _, c := range found.New {
			t.Logf("  confirmed without a plant: %s (lift %.2f, holdout %.2f)", c.Rule, c.Segment.All.Lift, c.Segment.Holdout.Lift)
		}
		if found.Search.ConfirmedCount > 1 {
			t.Errorf("%d segments confirmed where nothing was planted", found.Search.ConfirmedCount)
		}
	})
}

// userIDs maps person ids to the user id their events carry (the demo's
// truth names members by user id).
func userIDs(ctx context.Context, st store.Store) (map[int64]string, error) {
	out := map[int64]string{}
	for offset := 0; ; offset += pageSize {
		evs, err := st.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: pageSize, Offset: offset}, Type: foundation.EventType("identify")})
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if e.PersonID != 0 && e.UserID != "" {
				out[e.PersonID] = e.UserID
			}
		}
		if len(evs) < pageSize {
			break
		}
	}
	return out, nil
}
