package governance

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func TestCapsFor(t *testing.T) {
	c := CapsConfig{
		Default: Caps{RecordsPerRun: 5000, RecordsPerDay: 20000, SystemPct: 10},
		Skills:  map[string]Caps{"hygiene": {RecordsPerRun: 50000, SystemPct: 2}},
	}
	for _, tc := range []struct {
		name  string
		skill string
		agent store.Caps
		want  Caps
	}{
		{"pack default", "other", store.Caps{}, Caps{5000, 20000, 10}},
		{"the skill's limits replace the default", "hygiene", store.Caps{}, Caps{50000, 20000, 2}},
		{"a lower agent cap wins", "other", store.Caps{RecordsPerRun: 100, RecordsPerDay: 300, AudiencePct: 5}, Caps{100, 300, 5}},
		{"a higher agent cap does not loosen", "hygiene", store.Caps{RecordsPerRun: 90000, AudiencePct: 50}, Caps{50000, 20000, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.CapsFor(tc.skill, tc.agent); got != tc.want {
				t.Errorf("CapsFor = %+v, want %+v", got, tc.want)
			}
		})
	}
	if got := (CapsConfig{}).CapsFor("x", store.Caps{RecordsPerDay: 7}); got != (Caps{RecordsPerDay: 7}) {
		t.Errorf("agent caps alone = %+v", got)
	}
}

// recordsProposal suppresses n records of system, counted as its blast
// radius.
func recordsProposal(system string, n int) *proposal.Proposal {
	a := proposal.Action{Kind: proposal.Suppress, Params: map[string]any{"channel": "email", "reason": "x"}}
	for i := range n {
		a.Targets = append(a.Targets, proposal.RecordTarget(system, fmt.Sprint(i), ""))
	}
	return &proposal.Proposal{Actions: []proposal.Action{a}, BlastRadius: proposal.BlastRadius([]proposal.Action{a})}
}

func TestCheckCaps(t *testing.T) {
	mixed := recordsProposal("crm", 30)
	esp := recordsProposal("esp", 5)
	mixed.Actions = append(mixed.Actions, esp.Actions[0],
		proposal.Action{Kind: proposal.Tag, Targets: mixed.Actions[0].Targets[:10]}) // the same crm records again
	mixed.BlastRadius = proposal.BlastRadius(mixed.Actions)
	totals := map[string]int{"crm": 1000, "esp": 100}
	for _, tc := range []struct {
		name  string
		caps  Caps
		usage Usage
		p     *proposal.Proposal
		want  []string // "rule: reason"
	}{
		{"no caps", Caps{}, Usage{Today: 1e6}, recordsProposal("crm", 6200), nil},
		{"under every cap", Caps{RecordsPerRun: 5000, RecordsPerDay: 10000, SystemPct: 50}, Usage{}, recordsProposal("crm", 100), nil},
		{"exactly at the run cap", Caps{RecordsPerRun: 100}, Usage{}, recordsProposal("crm", 100), nil},
		{"over the run cap", Caps{RecordsPerRun: 5000}, Usage{}, recordsProposal("crm", 6200),
			[]string{"cap:records_per_run: would change 6,200 records; this agent may change 5,000 per run"}},
		{"earlier proposals of the run count", Caps{RecordsPerRun: 5000}, Usage{ThisRun: 4990}, recordsProposal("crm", 20),
			[]string{"cap:records_per_run: would bring this run to 5,010 records; this agent may change 5,000 per run"}},
		{"over the day cap with the run", Caps{RecordsPerDay: 10000}, Usage{Today: 9000, ThisRun: 900}, recordsProposal("crm", 101),
			[]string{"cap:records_per_day: would bring today's changes to 10,001 records; this agent may change 10,000 per day"}},
		{"at the day cap", Caps{RecordsPerDay: 10000}, Usage{Today: 9000, ThisRun: 900}, recordsProposal("crm", 100), nil},
		{"both", Caps{RecordsPerRun: 10, RecordsPerDay: 10}, Usage{}, recordsProposal("crm", 11), []string{
			"cap:records_per_run: would change 11 records; this agent may change 10 per run",
			"cap:records_per_day: would bring today's changes to 11 records; this agent may change 10 per day"}},
		{"percent of a system, distinct records, per system", Caps{SystemPct: 2.5}, Usage{}, mixed, []string{
			"cap:system_pct:crm: would change 3% of the crm records (30 of 1,000); this agent may change 2.5% of a system at once",
			"cap:system_pct:esp: would change 5% of the esp records (5 of 100); this agent may change 2.5% of a system at once"}},
		{"percent under the cap", Caps{SystemPct: 5}, Usage{}, mixed, nil},
		{"a system with no known records is not checked", Caps{SystemPct: 1}, Usage{}, recordsProposal("erp", 500), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := CheckCaps(tc.caps, tc.usage, tc.p, nil, totals)
			var got []string
			for _, m := range ms {
				if m.Effect != proposal.EffectRequireApproval || m.Source != "caps" {
					t.Errorf("match %+v: want require_approval from caps", m)
				}
				got = append(got, m.Rule+": "+m.Reason)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("CheckCaps =\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
	if ms := CheckCaps(Caps{SystemPct: 2.5}, Usage{}, mixed, nil, totals); len(ms) == 2 && ms[1].Action != 1 {
		t.Errorf("the esp cap names action %d, want 1 (the first touching esp)", ms[1].Action)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 6200: "6,200", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func BenchmarkCheckCaps(b *testing.B) {
	c := Caps{RecordsPerRun: 5000, RecordsPerDay: 20000}
	p := recordsProposal("crm", 3)
	for b.Loop() {
		CheckCaps(c, Usage{Today: 100}, p, nil, nil)
	}
}
