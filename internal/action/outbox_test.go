package action

import (
	"fmt"
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// deliveries lists what the outbox holds, oldest first, as
// "connector op system_id field=value".
func deliveries(t *testing.T, st store.Store) []string {
	t.Helper()
	ds, err := st.DeliveriesList(t.Context(), &store.DeliveriesListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		s := fmt.Sprintf("%s %s %s", d.Connector, d.Op, d.SystemID)
		switch d.Op {
		case "suppress", "unsuppress":
			s += fmt.Sprintf(" %s=%s", d.Channel, d.Status)
		case "update_field":
			s += fmt.Sprintf(" %s=%s", d.Field, d.Value)
		case "merge", "unmerge":
			s += " into " + d.IntoID
		}
		out = append(out, s)
	}
	return out
}

func TestOutboxEnqueuesWithTheChange(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		x := x0
		x.Outbox = Systems{"esp": "mautic"} // crm has no connector: nothing owed there
		p := prop(t,
			act(proposal.Suppress, map[string]any{"channel": "email", "reason": "unsubscribed in crm", "status": "unsubscribed"},
				proposal.RecordTarget("esp", "e1", "ana@x.test"), proposal.RecordTarget("crm", "c1", "")),
			act(proposal.UpdateField, map[string]any{"field": "first_name", "value": "Anna"}, proposal.RecordTarget("esp", "e1", "")))
		if _, err := Apply(t.Context(), st, p, x); err != nil {
			t.Fatal(err)
		}
		want := []string{"mautic suppress e1 email=unsubscribed", "mautic update_field e1 first_name=Anna"}
		equal(t, "deliveries after apply", fmt.Sprint(deliveries(t, st)), fmt.Sprint(want))
		ds, _ := st.DeliveriesList(t.Context(), &store.DeliveriesListParams{})
		for _, d := range ds {
			equal(t, "proposal of "+d.Key, d.ProposalID, p.ID)
			equal(t, "email of "+d.Key, d.Email, "ana@x.test")
		}

		// Applying again (a retry after a crash) owes nothing more.
		if _, err := Apply(t.Context(), st, p, x); err != nil {
			t.Fatal(err)
		}
		equal(t, "deliveries after a second apply", len(deliveries(t, st)), 2)

		// Undo sends each record back to what it was: e1 had a subscribed fact.
		if err := UndoAll(t.Context(), st, p, x); err != nil {
			t.Fatal(err)
		}
		want = append(want, "mautic update_field e1 first_name=", "mautic unsuppress e1 email=subscribed")
		equal(t, "deliveries after undo", fmt.Sprint(deliveries(t, st)), fmt.Sprint(want))
	})
}

func TestOutboxMergesInTheRecordsSystem(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		x := x0
		x.Outbox = Systems{"esp": "esp-hook", "crm": "hubspot"}
		p := prop(t, act(proposal.MergePeople, nil, personTarget(w.ana), personTarget(w.cy)))
		if _, err := Apply(t.Context(), st, p, x); err != nil {
			t.Fatal(err)
		}
		// cy's esp record merges into ana's esp record; ana's crm record has no counterpart.
		equal(t, "deliveries after merge", fmt.Sprint(deliveries(t, st)), fmt.Sprint([]string{"esp-hook merge e9 into e1"}))
		if err := UndoAll(t.Context(), st, p, x); err != nil {
			t.Fatal(err)
		}
		equal(t, "deliveries after undo", fmt.Sprint(deliveries(t, st)),
			fmt.Sprint([]string{"esp-hook merge e9 into e1", "esp-hook unmerge e9 into e1"}))
	})
}

func TestNoOutboxNoDeliveries(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t, act(proposal.Suppress, map[string]any{"channel": "email", "reason": "x"}, proposal.RecordTarget("esp", "e1", "")))
		mustApply(t, st, p)
		equal(t, "deliveries without an outbox", len(deliveries(t, st)), 0)
	})
}

func TestUnmergePeopleSplitsAnEarlierMerge(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		x := x0
		x.Outbox = Systems{"esp": "esp-hook"}
		merge := prop(t, act(proposal.MergePeople, nil, personTarget(w.ana), personTarget(w.cy)))
		if _, err := Apply(t.Context(), st, merge, x); err != nil {
			t.Fatal(err)
		}
		stranger := prop(t, act(proposal.UnmergePeople, map[string]any{"merge_proposal": merge.ID}, personTarget(w.bo)))
		if _, err := Apply(t.Context(), st, stranger, x); err == nil {
			t.Errorf("unmerging a person who was not in the merge was accepted")
		}
		split := prop(t, act(proposal.UnmergePeople, map[string]any{"merge_proposal": merge.ID}, personTarget(w.cy)))
		changes, err := Preview(t.Context(), st, split)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "preview", len(changes), 2)
		if _, err := Apply(t.Context(), st, split, x); err != nil {
			t.Fatal(err)
		}
		c, _ := st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.cy})
		equal(t, "cy has its record back", len(c.Records), 1)
		changes, err = Preview(t.Context(), st, split)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range changes {
			equal(t, "preview after the split: "+ch.Field, ch.Before, ch.After)
		}
		equal(t, "cy not merged", c.Person.MergedInto, int64(0))
		// The merge is now undone: undoing its proposal finds nothing to do.
		if err := UndoAll(t.Context(), st, merge, x); err != nil {
			t.Fatal(err)
		}
		a, _ := st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.ana})
		equal(t, "ana keeps her own records", len(a.Records), 2)
		equal(t, "deliveries", fmt.Sprint(deliveries(t, st)),
			fmt.Sprint([]string{"esp-hook merge e9 into e1", "esp-hook unmerge e9 into e1"}))
		again := prop(t, act(proposal.UnmergePeople, map[string]any{"merge_proposal": merge.ID}, personTarget(w.cy)))
		if _, err := Apply(t.Context(), st, again, x); err == nil {
			t.Errorf("a second unmerge of the same merge was accepted")
		}
	})
}
