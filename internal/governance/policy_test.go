package governance

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

func polDefaultPack(t testing.TB) *Pack {
	t.Helper()
	p, err := ParsePack(DefaultPackFiles())
	if err != nil {
		t.Fatalf("default pack: %v", err)
	}
	return p
}

func polPack(t testing.TB, files map[string]string) *Pack {
	t.Helper()
	b := map[string][]byte{}
	for k, v := range files {
		b[k] = []byte(v)
	}
	p, err := ParsePack(b)
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	return p
}

var polMonday = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func polVars(kind string, level Level, f func(*ActionVars)) Vars {
	v := Vars{Action: ActionVars{Kind: kind, Records: 1, People: 1}, Agent: AgentVars{Name: "a", Autonomy: string(level)}, Now: polMonday}
	if f != nil {
		f(&v.Action)
	}
	return v
}

func TestDefaultPackRules(t *testing.T) {
	freeze := "freeze:\n  - {name: Holiday peak, from: 2026-11-26T00:00:00Z, to: 2026-12-01T00:00:00Z}\n"
	files := map[string]string{}
	for n, b := range DefaultPackFiles() {
		if !isTestFile(n) {
			files[n] = strings.Replace(string(b), "freeze: []\n", freeze, 1)
		}
	}
	p := polPack(t, files)
	inFreeze := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		v    Vars
		want proposal.Effect
		rule string // must match ("" none of the pack's rules)
	}{
		{"e-mail without consent", polVars("notify", Auto, func(a *ActionVars) { a.EmailsPeople, a.WithoutConsent = true, 2 }), proposal.EffectDeny, "consent.email"},
		{"e-mail with consent", polVars("notify", Auto, func(a *ActionVars) { a.EmailsPeople = true }), proposal.EffectAllow, ""},
		{"unsuppress without consent", polVars("unsuppress", Auto, func(a *ActionVars) { a.EmailsPeople, a.WithoutConsent = true, 1 }), proposal.EffectDeny, "consent.email"},
		{"5,001 records", polVars("tag", Auto, func(a *ActionVars) { a.Records = 5001 }), proposal.EffectRequireApproval, "records.large"},
		{"5,000 records", polVars("tag", Auto, func(a *ActionVars) { a.Records = 5000 }), proposal.EffectAllow, ""},
		{"merge 1,001 people", polVars("merge_people", Auto, func(a *ActionVars) { a.People = 1001 }), proposal.EffectRequireApproval, "merge.large"},
		{"unmerge 1,001 people", polVars("unmerge_people", Auto, func(a *ActionVars) { a.People = 1001 }), proposal.EffectRequireApproval, "merge.large"},
		{"merge 1,000 people", polVars("merge_people", Auto, func(a *ActionVars) { a.People = 1000 }), proposal.EffectAllow, ""},
		{"tag 1,001 people is no merge", polVars("tag", Auto, func(a *ActionVars) { a.People = 1001 }), proposal.EffectAllow, ""},
		{"shift 5,001", polVars("shift_budget", Auto, func(a *ActionVars) { a.Amount = 5001 }), proposal.EffectRequireApproval, "budget.shift"},
		{"shift 5,000", polVars("shift_budget", Auto, func(a *ActionVars) { a.Amount = 5000 }), proposal.EffectAllow, ""},
	}
	halt := func(a *ActionVars) { a.HardLimit = "complaint_rate" }
	haltInFreeze := polVars("pause_campaign", Auto, halt)
	haltInFreeze.Now = inFreeze
	cases = append(cases, []struct {
		name string
		v    Vars
		want proposal.Effect
		rule string
	}{
		{"pause_campaign outside a freeze", polVars("pause_campaign", Auto, nil), proposal.EffectRequireApproval, "pause.needs_person"},
		{"halt over a hard limit", polVars("pause_campaign", Auto, halt), proposal.EffectAllow, ""},
		{"halt over a hard limit in a freeze", haltInFreeze, proposal.EffectAllow, ""},
	}...)
	for _, k := range []string{"pause_campaign", "resume_campaign", "unsuppress"} {
		v := polVars(k, Auto, nil)
		v.Now = inFreeze
		rule := "freeze.sends"
		if k == "pause_campaign" {
			rule += ",pause.needs_person" // both hold it; deny wins
		}
		cases = append(cases,
			struct {
				name string
				v    Vars
				want proposal.Effect
				rule string
			}{k + " in a freeze", v, proposal.EffectDeny, rule})
		if k != "pause_campaign" {
			cases = append(cases, struct {
				name string
				v    Vars
				want proposal.Effect
				rule string
			}{k + " outside a freeze", polVars(k, Auto, nil), proposal.EffectAllow, ""})
		}
	}
	mail := polVars("notify", Auto, func(a *ActionVars) { a.EmailsPeople = true })
	mail.Now = inFreeze
	note := polVars("notify", Auto, nil)
	note.Now = inFreeze
	task := polVars("create_task", Auto, nil)
	task.Now = inFreeze
	cases = append(cases, []struct {
		name string
		v    Vars
		want proposal.Effect
		rule string
	}{
		{"e-mail in a freeze", mail, proposal.EffectDeny, "freeze.sends"},
		{"team note in a freeze", note, proposal.EffectAllow, ""},
		{"task in a freeze", task, proposal.EffectAllow, ""},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := p.Decide(DecideInput{Vars: []Vars{c.v}, Now: c.v.Now})
			if err != nil {
				t.Fatal(err)
			}
			if d.Effect != c.want {
				t.Fatalf("effect %s, want %s (%v: %s)", d.Effect, c.want, d.Rules, d.Reason)
			}
			var policy []string
			for _, r := range d.Rules {
				if !strings.HasPrefix(r, "autonomy:") {
					policy = append(policy, r)
				}
			}
			if c.rule == "" && len(policy) > 0 || c.rule != "" && !reflect.DeepEqual(policy, strings.Split(c.rule, ",")) {
				t.Fatalf("rules %v, want %q", policy, c.rule)
			}
			if strings.HasPrefix(c.rule, "freeze.sends") && d.Inputs[0].Freeze != "Holiday peak" {
				t.Fatalf("inputs %v do not name the freeze window", d.Inputs[0])
			}
		})
	}
}

func TestDecideStrictestWins(t *testing.T) {
	p := polDefaultPack(t)
	capMatch := proposal.Match{Rule: "caps:records_per_day", Effect: proposal.EffectRequireApproval, Reason: "over the daily cap", Source: "caps"}
	noConsent := func(a *ActionVars) { a.EmailsPeople, a.WithoutConsent = true, 1 }
	cases := []struct {
		name     string
		vars     []Vars
		extra    []proposal.Match
		want     proposal.Effect
		autonomy Level
		rules    []string
		reason   string
	}{
		{"auto alone allows", []Vars{polVars("tag", Auto, nil)}, nil, proposal.EffectAllow, Auto,
			[]string{"autonomy:tag=auto"}, "tag runs on its own"},
		{"policy allow does not loosen approve", []Vars{polVars("tag", Approve, nil)}, nil, proposal.EffectRequireApproval, Approve,
			[]string{"autonomy:tag=approve"}, "needs approval"},
		{"suggest needs a person", []Vars{polVars("tag", Suggest, nil)}, nil, proposal.EffectRequireApproval, Suggest,
			[]string{"autonomy:tag=suggest"}, "suggest-only"},
		{"off denies", []Vars{polVars("tag", Off, nil)}, nil, proposal.EffectDeny, Off,
			[]string{"autonomy:tag=off"}, "switched off for agent a"},
		{"deny beats auto", []Vars{polVars("notify", AutoSilent, noConsent)}, nil, proposal.EffectDeny, AutoSilent,
			[]string{"autonomy:notify=auto-silent", "consent.email"}, "no e-mail consent"},
		{"require_approval beats auto", []Vars{polVars("tag", Auto, func(a *ActionVars) { a.Records = 9000 })}, nil, proposal.EffectRequireApproval, Auto,
			[]string{"autonomy:tag=auto", "records.large"}, "more than 5,000 records"},
		{"a cap holds an auto proposal", []Vars{polVars("tag", Auto, nil)}, []proposal.Match{capMatch}, proposal.EffectRequireApproval, Auto,
			[]string{"autonomy:tag=auto", "caps:records_per_day"}, "over the daily cap"},
		{"the strictest action decides", []Vars{polVars("create_task", Auto, nil), polVars("tag", Approve, nil), polVars("notify", Auto, noConsent)}, nil,
			proposal.EffectDeny, Approve, []string{"autonomy:create_task=auto", "autonomy:notify=auto", "autonomy:tag=approve", "consent.email"}, "no e-mail consent"},
		{"deny beats a cap", []Vars{polVars("notify", Auto, noConsent)}, []proposal.Match{capMatch}, proposal.EffectDeny, Auto,
			[]string{"autonomy:notify=auto", "caps:records_per_day", "consent.email"}, "no e-mail consent"},
		{"no level given means approve", []Vars{polVars("tag", "", nil)}, nil, proposal.EffectRequireApproval, Approve,
			[]string{"autonomy:tag=approve"}, "needs approval"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := p.Decide(DecideInput{Vars: c.vars, Extra: c.extra, Now: polMonday})
			if err != nil {
				t.Fatal(err)
			}
			if d.Effect != c.want || d.Autonomy != string(c.autonomy) {
				t.Fatalf("got %s at %s, want %s at %s (%s)", d.Effect, d.Autonomy, c.want, c.autonomy, d.Reason)
			}
			if !reflect.DeepEqual(d.Rules, c.rules) {
				t.Fatalf("rules %v, want %v", d.Rules, c.rules)
			}
			if !strings.Contains(d.Reason, c.reason) {
				t.Fatalf("reason %q does not say %q", d.Reason, c.reason)
			}
			if len(d.Inputs) != len(c.vars) || !d.DecidedAt.Equal(polMonday) {
				t.Fatalf("inputs %v, decided at %v", d.Inputs, d.DecidedAt)
			}
			for _, m := range d.Matched {
				if m.Source == "" || m.Reason == "" {
					t.Fatalf("match %+v lacks a source or a reason", m)
				}
			}
		})
	}
	if _, err := p.Decide(DecideInput{Vars: []Vars{polVars("tag", "full-auto", nil)}, Now: polMonday}); err == nil {
		t.Fatal("an unknown autonomy level was accepted")
	}
}

// A rule whose cost explodes stops at the cost limit; the decision does
// not fail and does not allow: the proposal is held for approval.
func TestRunawayRuleIsHeldForApproval(t *testing.T) {
	p := polPack(t, map[string]string{"p.yaml": `
rules:
  - id: runaway
    when: >-
      action.fields.all(a, action.fields.all(b, action.fields.all(c,
        action.fields.all(d, a + b + c + d != "never"))))
    effect: allow
`})
	fields := make([]string, 60)
	for i := range fields {
		fields[i] = strings.Repeat("f", i+1)
	}
	start := time.Now()
	d, err := p.Decide(DecideInput{Vars: []Vars{polVars("tag", Auto, func(a *ActionVars) { a.Fields = fields })}, Now: polMonday})
	if err != nil {
		t.Fatal(err)
	}
	if d.Effect != proposal.EffectRequireApproval || !strings.Contains(d.Reason, "runaway could not be checked") || !strings.Contains(d.Reason, "cost") {
		t.Fatalf("got %s: %s; want require_approval because the rule ran out of budget", d.Effect, d.Reason)
	}
	t.Logf("stopped after %v", time.Since(start))
	// With few fields the same rule runs to its end.
	d, err = p.Decide(DecideInput{Vars: []Vars{polVars("tag", Auto, func(a *ActionVars) { a.Fields = fields[:3] })}, Now: polMonday})
	if err != nil || d.Effect != proposal.EffectAllow {
		t.Fatalf("got %s (%v), want allow", d.Effect, err)
	}
}

func TestEvaluationErrorFailsSafe(t *testing.T) {
	p := polPack(t, map[string]string{"p.yaml": "rules:\n  - {id: ratio, when: 'action.records / action.people > 2', effect: allow}\n"})
	d, err := p.Decide(DecideInput{Vars: []Vars{polVars("tag", Auto, func(a *ActionVars) { a.People = 0 })}, Now: polMonday})
	if err != nil {
		t.Fatal(err)
	}
	if d.Effect != proposal.EffectRequireApproval || !strings.Contains(d.Reason, "ratio could not be checked") || !hasString(d.Rules, "ratio") {
		t.Fatalf("got %s %v: %s", d.Effect, d.Rules, d.Reason)
	}
}

func TestCalendar(t *testing.T) {
	p := polPack(t, map[string]string{"p.yaml": "freeze:\n  - {name: Launch, from: 2026-05-01, to: '2026-05-03T12:00:00+02:00'}\n"})
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 4, 30, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 5, 3, 9, 59, 59, 0, time.UTC), true},
		{time.Date(2026, 5, 3, 10, 0, 0, 0, time.UTC), false},
	} {
		if got := p.Calendar(c.at); got.InFreeze != c.want || (c.want && got.Freeze != "Launch") {
			t.Errorf("Calendar(%v) = %+v, want in_freeze %v", c.at, got, c.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "8h": 8 * time.Hour, "30d": 30 * 24 * time.Hour, "2d12h": 60 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"d", "3 days", "-1h", "1.5d", "99999999999d"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
}

// Every variable a rule can name resolves, through the fast switch, to the
// value of its Vars field.
func TestActivationResolvesEveryVariable(t *testing.T) {
	var v Vars
	rv := reflect.ValueOf(&v).Elem()
	for i, cv := range celVars {
		f := rv.FieldByIndex(cv.index)
		switch f.Kind() {
		case reflect.String:
			f.SetString("s" + cv.name)
		case reflect.Int:
			f.SetInt(int64(1000 + i))
		case reflect.Float64:
			f.SetFloat(float64(i) + 0.5)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{cv.name}))
		case reflect.Struct:
			f.Set(reflect.ValueOf(polMonday))
		}
	}
	a := activation{v: &v}
	for _, cv := range celVars {
		got, ok := a.ResolveName(cv.name)
		if !ok {
			t.Fatalf("%s does not resolve", cv.name)
		}
		want := rv.FieldByIndex(cv.index).Interface()
		native, err := got.(interface {
			ConvertToNative(reflect.Type) (any, error)
		}).ConvertToNative(reflect.TypeOf(want))
		if err != nil || !reflect.DeepEqual(native, want) {
			t.Errorf("%s = %v (%v), want %v", cv.name, native, err, want)
		}
	}
	if _, ok := a.ResolveName("action.nope"); ok {
		t.Fatal("an unknown name resolved")
	}
}
