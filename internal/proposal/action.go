package proposal

import (
	"fmt"
	"sort"
	"strings"
)

// Kind names a type of action. Each kind has a Spec (targets, parameters,
// whether it can be undone) and one executor.
type Kind string

// The action kinds Tower knows.
const (
	Suppress        Kind = "suppress"
	Unsuppress      Kind = "unsuppress"
	MergePeople     Kind = "merge_people"
	UnmergePeople   Kind = "unmerge_people"
	UpdateField     Kind = "update_field"
	Tag             Kind = "tag"
	CreateSegment   Kind = "create_segment"
	PauseCampaign   Kind = "pause_campaign"
	ResumeCampaign  Kind = "resume_campaign"
	ShiftBudget     Kind = "shift_budget"
	AssignOwner     Kind = "assign_owner"
	CreateTask      Kind = "create_task"
	CutLicenseSeats Kind = "cut_license_seats"
	FixTemplate     Kind = "fix_template"
	Notify          Kind = "notify"
)

// TargetType names what a target is. IDs are the natural keys of the
// import formats, so a person can find the thing in the source system.
type TargetType string

// The target types.
const (
	TargetPerson   TargetType = "person"   // ID: the person id; Label: the e-mail
	TargetRecord   TargetType = "record"   // ID: "system:system_id"
	TargetAccount  TargetType = "account"  // ID: the account id
	TargetCampaign TargetType = "campaign" // ID: the campaign id
	TargetTemplate TargetType = "template" // ID: the template id
	TargetLicense  TargetType = "license"  // ID: the licence's tool
	TargetSegment  TargetType = "segment"  // ID: the segment name
	TargetOwner    TargetType = "owner"    // ID: the owner id
)

// Target is one thing an action touches.
type Target struct {
	Type TargetType `json:"type"`
	ID   string     `json:"id"`
	// Label is a human name for the target (a person's e-mail, a campaign's
	// name); informational only.
	Label string `json:"label,omitempty"`
}

func (t Target) String() string { return string(t.Type) + ":" + t.ID }

// RecordTarget builds the target for a record.
func RecordTarget(system, systemID, label string) Target {
	return Target{Type: TargetRecord, ID: RecordID(system, systemID), Label: label}
}

// RecordID is a record's target id, "system:system_id".
func RecordID(system, systemID string) string { return system + ":" + systemID }

// SplitRecordID splits a record target id "system:system_id". The system
// id may itself contain colons.
func SplitRecordID(id string) (system, systemID string, ok bool) {
	system, systemID, ok = strings.Cut(id, ":")
	return system, systemID, ok && system != "" && systemID != ""
}

// Action is one typed change a proposal asks for.
type Action struct {
	Kind    Kind           `json:"kind"`
	Targets []Target       `json:"targets"`
	Params  map[string]any `json:"params"`
}

// Param returns a string parameter, or "" when absent.
func (a Action) Param(name string) string {
	switch v := a.Params[name].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Number returns a numeric parameter and whether it is present.
func (a Action) Number(name string) (float64, bool) {
	switch v := a.Params[name].(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	return 0, false
}

// Kinds lists every action kind, sorted.
func Kinds() []Kind {
	out := make([]Kind, 0, len(specs))
	for k := range specs {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ParseKind parses an action kind name.
func ParseKind(s string) (Kind, error) {
	if _, ok := specs[Kind(s)]; ok {
		return Kind(s), nil
	}
	names := make([]string, 0, len(specs))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown action kind %q: use one of %s", s, strings.Join(names, ", "))
}
