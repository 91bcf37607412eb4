package proposal

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// ParamType is the JSON type of an action parameter.
type ParamType string

// Parameter types.
const (
	TypeString  ParamType = "string"
	TypeNumber  ParamType = "number"
	TypeInteger ParamType = "integer"
	TypeBoolean ParamType = "boolean"
	TypeAny     ParamType = "any" // string, number or boolean
)

// ParamSpec describes one parameter of an action kind.
type ParamSpec struct {
	Name        string
	Type        ParamType
	Required    bool
	Enum        []string // allowed values of a string parameter; empty allows any
	Min         *float64 // lower bound of a number
	Description string
}

// Spec describes an action kind: what it may target, which parameters it
// takes, and whether its executor can undo it. Spec is the single source of
// the kind's JSON schema (Schema) and of Validate, so the two cannot drift.
type Spec struct {
	Kind        Kind
	Description string
	Targets     []TargetType // allowed target types
	MinTargets  int
	MaxTargets  int // 0: no limit
	Params      []ParamSpec
	Undoable    bool
}

func ptr(f float64) *float64 { return &f }

var channels = []string{"email", "sms", "phone", "push", "all"}

// suppressions are the statuses a suppress may write: every status that
// stops sending (DOMAIN §1.1), so a propagated complaint stays a complaint
// and keeps its rank in every system.
var suppressions = []string{"complaint", "unsubscribed", "do_not_contact", "hard_bounce", "soft_bounce"}

var specs = map[Kind]Spec{
	Suppress: {Kind: Suppress, Description: "Stop a channel for records: writes a suppression (consent fact) in the record's system.",
		Targets: []TargetType{TargetRecord}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "channel", Type: TypeString, Required: true, Enum: channels, Description: "the channel to stop"},
			{Name: "reason", Type: TypeString, Required: true, Description: "why, as shown to people and written on the suppression"},
			{Name: "status", Type: TypeString, Enum: suppressions,
				Description: "the status to write: the one being propagated (an unsubscribe, a complaint, a hard bounce), or do_not_contact (the default) for a stop made by staff"},
		}},
	Unsuppress: {Kind: Unsuppress, Description: "Make records sendable again on a channel after a new, explicit opt-in.",
		Targets: []TargetType{TargetRecord}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "channel", Type: TypeString, Required: true, Enum: channels},
			{Name: "reason", Type: TypeString, Required: true},
		}},
	MergePeople: {Kind: MergePeople, Description: "Merge duplicate people into the first target; the merged person keeps every record and so the strictest suppression of its parts.",
		Targets: []TargetType{TargetPerson}, MinTargets: 2, Undoable: true},
	UnmergePeople: {Kind: UnmergePeople, Description: "Split people merged earlier back into the people they were.",
		Targets: []TargetType{TargetPerson}, MinTargets: 1, Undoable: false,
		Params: []ParamSpec{{Name: "merge_proposal", Type: TypeString, Required: true,
			Description: "the proposal whose merge to split; every record goes back to the person it came from"}}},
	UpdateField: {Kind: UpdateField, Description: "Set one field of a person, record, account or campaign (a campaign's landing link, for example).",
		Targets: []TargetType{TargetPerson, TargetRecord, TargetAccount, TargetCampaign}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "field", Type: TypeString, Required: true, Description: "a field name, or traits.NAME for a custom column"},
			{Name: "value", Type: TypeAny, Required: true},
		}},
	Tag: {Kind: Tag, Description: "Add a tag to people, accounts or records (for example a re-permission tag).",
		Targets: []TargetType{TargetPerson, TargetAccount, TargetRecord}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{{Name: "tag", Type: TypeString, Required: true}}},
	CreateSegment: {Kind: CreateSegment, Description: "Create a segment from a rule and compute its members.",
		Targets: []TargetType{TargetSegment}, MaxTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "rule", Type: TypeString, Required: true, Description: "the rule, in the segment language"},
			{Name: "segment", Type: TypeString, Description: "the segment id, when there is no segment target"},
			{Name: "name", Type: TypeString, Description: "the display name (default: the id)"},
			{Name: "description", Type: TypeString},
		}},
	PauseCampaign: {Kind: PauseCampaign, Description: "Pause a campaign.",
		Targets: []TargetType{TargetCampaign}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "reason", Type: TypeString, Required: true},
			{Name: "hard_limit", Type: TypeString, Enum: []string{"complaint_rate", "unsubscribe_rate", "hard_bounce_rate"},
				Description: "the brand-harm limit crossed, when this is a halt"},
		}},
	ResumeCampaign: {Kind: ResumeCampaign, Description: "Resume a paused campaign.",
		Targets: []TargetType{TargetCampaign}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{{Name: "reason", Type: TypeString}}},
	ShiftBudget: {Kind: ShiftBudget, Description: "Move budget from the first campaign to the second.",
		Targets: []TargetType{TargetCampaign}, MinTargets: 2, MaxTargets: 2, Undoable: true,
		Params: []ParamSpec{{Name: "amount", Type: TypeNumber, Required: true, Min: ptr(0), Description: "in the campaigns' currency"}}},
	AssignOwner: {Kind: AssignOwner, Description: "Give accounts to an owner (a seller or CSM).",
		Targets: []TargetType{TargetAccount}, MinTargets: 1, Undoable: true,
		Params: []ParamSpec{{Name: "owner_id", Type: TypeString, Required: true}}},
	CreateTask: {Kind: CreateTask, Description: "Create a task for an owner about the targets.",
		Targets: []TargetType{TargetPerson, TargetAccount, TargetCampaign, TargetRecord, TargetTemplate, TargetLicense}, Undoable: true,
		Params: []ParamSpec{
			{Name: "title", Type: TypeString, Required: true},
			{Name: "owner_id", Type: TypeString, Description: "who should do it; empty: the agent's owner"},
			{Name: "due", Type: TypeString, Description: "YYYY-MM-DD"},
			{Name: "note", Type: TypeString},
		}},
	CutLicenseSeats: {Kind: CutLicenseSeats, Description: "Reduce a licence to fewer seats.",
		Targets: []TargetType{TargetLicense}, MinTargets: 1, MaxTargets: 1, Undoable: true,
		Params: []ParamSpec{{Name: "seats", Type: TypeInteger, Required: true, Min: ptr(0), Description: "the new seat count"}}},
	FixTemplate: {Kind: FixTemplate, Description: "Replace a template's body (or subject) with a corrected version.",
		Targets: []TargetType{TargetTemplate}, MinTargets: 1, MaxTargets: 1, Undoable: true,
		Params: []ParamSpec{
			{Name: "field", Type: TypeString, Required: true, Enum: []string{"body", "subject"}},
			{Name: "value", Type: TypeString, Required: true},
			{Name: "diff", Type: TypeString, Description: "the change as a unified diff, for people"},
		}},
	Notify: {Kind: Notify, Description: "Tell people something (queued for the briefing channels).",
		Targets: []TargetType{TargetOwner, TargetPerson, TargetCampaign, TargetAccount}, Undoable: false,
		Params: []ParamSpec{
			{Name: "message", Type: TypeString, Required: true},
			{Name: "to", Type: TypeString, Description: "a user, owner id or channel; empty: the agent's owner"},
		}},
}

// SpecOf returns the spec of a kind.
func SpecOf(k Kind) (Spec, bool) {
	s, ok := specs[k]
	return s, ok
}

// Validate checks an action against its kind's spec: known kind, allowed
// target types and count, required parameters present, types and enums
// respected, no unknown parameters. The error names the field at fault.
func Validate(a Action) error {
	s, ok := specs[a.Kind]
	if !ok {
		_, err := ParseKind(string(a.Kind))
		return err
	}
	if len(a.Targets) < s.MinTargets {
		return fmt.Errorf("%s: needs at least %d target(s), got %d", a.Kind, s.MinTargets, len(a.Targets))
	}
	if s.MaxTargets > 0 && len(a.Targets) > s.MaxTargets {
		return fmt.Errorf("%s: takes at most %d target(s), got %d", a.Kind, s.MaxTargets, len(a.Targets))
	}
	for i, t := range a.Targets {
		if !slices.Contains(s.Targets, t.Type) {
			return fmt.Errorf("%s: targets[%d]: type %q not allowed; use %v", a.Kind, i, t.Type, s.Targets)
		}
		if strings.TrimSpace(t.ID) == "" {
			return fmt.Errorf("%s: targets[%d]: empty id", a.Kind, i)
		}
		if t.Type == TargetRecord {
			if _, _, ok := SplitRecordID(t.ID); !ok {
				return fmt.Errorf("%s: targets[%d]: record id %q must be system:system_id", a.Kind, i, t.ID)
			}
		}
	}
	known := map[string]bool{}
	for _, p := range s.Params {
		known[p.Name] = true
		v, present := a.Params[p.Name]
		if !present || v == nil {
			if p.Required {
				return fmt.Errorf("%s: params.%s: required", a.Kind, p.Name)
			}
			continue
		}
		if err := checkParam(p, v); err != nil {
			return fmt.Errorf("%s: params.%s: %w", a.Kind, p.Name, err)
		}
	}
	for name := range a.Params {
		if !known[name] {
			return fmt.Errorf("%s: params.%s: unknown parameter", a.Kind, name)
		}
	}
	return nil
}

func checkParam(p ParamSpec, v any) error {
	var num float64
	isNum := false
	switch x := v.(type) {
	case float64:
		num, isNum = x, true
	case int:
		num, isNum = float64(x), true
	case int64:
		num, isNum = float64(x), true
	}
	switch p.Type {
	case TypeString:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("want text, got %T", v)
		}
		if p.Required && strings.TrimSpace(s) == "" {
			return fmt.Errorf("required")
		}
		if len(p.Enum) > 0 && !slices.Contains(p.Enum, s) {
			return fmt.Errorf("%q not allowed; use one of %s", s, strings.Join(p.Enum, ", "))
		}
	case TypeNumber, TypeInteger:
		if !isNum || math.IsNaN(num) || math.IsInf(num, 0) {
			return fmt.Errorf("want a number, got %v", v)
		}
		if p.Type == TypeInteger && num != math.Trunc(num) {
			return fmt.Errorf("want a whole number, got %v", num)
		}
		if p.Min != nil && num < *p.Min {
			return fmt.Errorf("%v is below the minimum %v", num, *p.Min)
		}
	case TypeBoolean:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("want true or false, got %v", v)
		}
	case TypeAny:
		switch v.(type) {
		case string, bool:
		default:
			if !isNum {
				return fmt.Errorf("want text, a number or true/false, got %T", v)
			}
		}
	}
	return nil
}

// Schema returns the JSON schema (draft 2020-12) of an action of this kind.
func (s Spec) Schema() map[string]any {
	props := map[string]any{}
	required := []string{}
	for _, p := range s.Params {
		prop := map[string]any{}
		switch p.Type {
		case TypeAny:
			prop["type"] = []string{"string", "number", "boolean"}
		default:
			prop["type"] = string(p.Type)
		}
		if len(p.Enum) > 0 {
			prop["enum"] = p.Enum
		}
		if p.Min != nil {
			prop["minimum"] = *p.Min
		}
		if p.Description != "" {
			prop["description"] = p.Description
		}
		props[p.Name] = prop
		if p.Required {
			required = append(required, p.Name)
		}
	}
	types := make([]string, len(s.Targets))
	for i, t := range s.Targets {
		types[i] = string(t)
	}
	targets := map[string]any{
		"type": "array",
		"items": map[string]any{
			"type":                 "object",
			"required":             []string{"type", "id"},
			"additionalProperties": false,
			"properties": map[string]any{
				"type":  map[string]any{"enum": types},
				"id":    map[string]any{"type": "string", "minLength": 1},
				"label": map[string]any{"type": "string"},
			},
		},
		"minItems": s.MinTargets,
	}
	if s.MaxTargets > 0 {
		targets["maxItems"] = s.MaxTargets
	}
	return map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://towerops.dev/schemas/actions/" + string(s.Kind) + ".json",
		"title":                string(s.Kind),
		"description":          s.Description,
		"type":                 "object",
		"required":             []string{"kind", "targets", "params"},
		"additionalProperties": false,
		"properties": map[string]any{
			"kind":    map[string]any{"const": string(s.Kind)},
			"targets": targets,
			"params": map[string]any{
				"type":                 "object",
				"properties":           props,
				"required":             required,
				"additionalProperties": false,
			},
		},
	}
}
