package fleet

import (
	"errors"
	"testing"

	"github.com/towerops/tower/internal/proposal"
)

func TestEditSpecChange(t *testing.T) {
	base := func() *proposal.Proposal {
		return &proposal.Proposal{Actions: []proposal.Action{
			{Kind: proposal.Tag, Params: map[string]any{"tag": "vip"},
				Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}, {Type: proposal.TargetPerson, ID: "2"}}},
			{Kind: proposal.Suppress, Params: map[string]any{"channel": "email"}, Targets: []proposal.Target{{Type: proposal.TargetRecord, ID: "crm:9"}}},
			{Kind: proposal.CreateTask, Params: map[string]any{"title": "call"}}, // no targets, and that is fine
		}}
	}
	p := base()
	if err := (EditSpec{DropTargets: []string{"person:2", "record:crm:9"}, SetParams: []ParamSet{{Action: 1, Name: "tag", Value: "gold"}}}).Change(p); err != nil {
		t.Fatal(err)
	}
	if len(p.Actions) != 2 || p.Actions[0].Kind != proposal.Tag || p.Actions[1].Kind != proposal.CreateTask {
		t.Fatalf("actions after the edit: %+v (the emptied suppress goes, the task without targets stays)", p.Actions)
	}
	if len(p.Actions[0].Targets) != 1 || p.Actions[0].Params["tag"] != "gold" {
		t.Fatalf("tag action after the edit: %+v", p.Actions[0])
	}
	for name, spec := range map[string]EditSpec{
		"unknown target": {DropTargets: []string{"person:99"}},
		"action 0":       {SetParams: []ParamSet{{Action: 0, Name: "tag", Value: "x"}}},
		"action 4":       {SetParams: []ParamSet{{Action: 4, Name: "tag", Value: "x"}}},
		"no name":        {SetParams: []ParamSet{{Action: 1, Value: "x"}}},
	} {
		if err := spec.Change(base()); !errors.Is(err, ErrBadEdit) {
			t.Errorf("%s: %v, want ErrBadEdit", name, err)
		}
	}
}
