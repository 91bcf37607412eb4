package proposal

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestValidateRefusesPrecisely(t *testing.T) {
	rec := []Target{RecordTarget("crm", "C-1", "")}
	cases := []struct {
		a    Action
		want string // substring of the error; "" means valid
	}{
		{Action{Kind: Suppress, Targets: rec, Params: map[string]any{"channel": "email", "reason": "hard bounce"}}, ""},
		{Action{Kind: Suppress, Targets: rec, Params: map[string]any{"channel": "fax", "reason": "x"}}, `params.channel: "fax" not allowed`},
		{Action{Kind: Suppress, Targets: rec, Params: map[string]any{"channel": "email"}}, "params.reason: required"},
		{Action{Kind: Suppress, Params: map[string]any{"channel": "email", "reason": "x"}}, "at least 1 target"},
		{Action{Kind: Suppress, Targets: []Target{{Type: TargetRecord, ID: "nocolon"}}, Params: map[string]any{"channel": "email", "reason": "x"}}, "system:system_id"},
		{Action{Kind: Suppress, Targets: []Target{{Type: TargetPerson, ID: "1"}}, Params: map[string]any{"channel": "email", "reason": "x"}}, `type "person" not allowed`},
		{Action{Kind: Tag, Targets: []Target{{Type: TargetPerson, ID: "1"}}, Params: map[string]any{"tag": "x", "colour": "red"}}, "params.colour: unknown parameter"},
		{Action{Kind: ShiftBudget, Targets: []Target{{Type: TargetCampaign, ID: "a"}, {Type: TargetCampaign, ID: "b"}}, Params: map[string]any{"amount": -5.0}}, "below the minimum"},
		{Action{Kind: ShiftBudget, Targets: []Target{{Type: TargetCampaign, ID: "a"}}, Params: map[string]any{"amount": 5.0}}, "at least 2"},
		{Action{Kind: CutLicenseSeats, Targets: []Target{{Type: TargetLicense, ID: "tool"}}, Params: map[string]any{"seats": 2.5}}, "whole number"},
		{Action{Kind: "launch_rocket"}, "unknown action kind"},
	}
	for _, c := range cases {
		err := Validate(c.a)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.a.Kind, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want it to contain %q", c.a.Kind, err, c.want)
		}
	}
}

// TestSchemaMatchesSpec checks every kind's JSON schema against the spec
// it is generated from, and that a valid action satisfies it.
func TestSchemaMatchesSpec(t *testing.T) {
	for _, k := range Kinds() {
		s, _ := SpecOf(k)
		sc := s.Schema()
		b, err := json.Marshal(sc)
		if err != nil {
			t.Fatalf("%s: schema does not marshal: %v", k, err)
		}
		var back map[string]any
		_ = json.Unmarshal(b, &back)
		params := back["properties"].(map[string]any)["params"].(map[string]any)
		props := params["properties"].(map[string]any)
		if len(props) != len(s.Params) {
			t.Errorf("%s: schema has %d params, spec %d", k, len(props), len(s.Params))
		}
		req := map[string]bool{}
		for _, r := range params["required"].([]any) {
			req[r.(string)] = true
		}
		for _, p := range s.Params {
			if _, ok := props[p.Name]; !ok {
				t.Errorf("%s: schema lacks %s", k, p.Name)
			}
			if req[p.Name] != p.Required {
				t.Errorf("%s.%s: required %v in schema, %v in spec", k, p.Name, req[p.Name], p.Required)
			}
		}
	}
}

func TestDraftAndNew(t *testing.T) {
	d := Draft{Agent: "a", Title: "t", Key: "person:1", Confidence: 0.5, Actions: []Action{
		{Kind: Tag, Targets: []Target{{Type: TargetPerson, ID: "1"}, {Type: TargetPerson, ID: "2"}}, Params: map[string]any{"tag": "x"}},
		{Kind: Notify, Targets: []Target{{Type: TargetPerson, ID: "1"}}, Params: map[string]any{"message": "m"}},
	}}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := New(d, "skill", now)
	if p.Status != StatusProposed || p.BlastRadius != 2 || !p.ExpiresAt.Equal(now.Add(DefaultTTL)) {
		t.Errorf("New: status %s, blast radius %d, expires %s", p.Status, p.BlastRadius, p.ExpiresAt)
	}
	if !strings.HasPrefix(p.ID, "p_") || len(p.ID) != 28 {
		t.Errorf("id %q", p.ID)
	}
	later := NewID(now.Add(time.Millisecond))
	if later <= p.ID {
		t.Errorf("ids do not sort by time: %s then %s", p.ID, later)
	}
	bad := Draft{Confidence: 1.5}
	err := bad.Validate()
	for _, want := range []string{"agent: required", "title: required", "key: required", "actions: at least one", "confidence"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate of an empty draft: %v, want %q", err, want)
		}
	}
}
