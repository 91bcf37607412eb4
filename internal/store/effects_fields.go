package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors FieldSet returns (wrapped) besides ErrNotFound.
var (
	// ErrUnknownField: the entity kind or the field is not one FieldSet
	// may set (see Fields).
	ErrUnknownField = errors.New("not a settable field")
	// ErrBadFieldValue: the value does not fit the field (not a number,
	// an unknown owner, a status other than active or paused ...).
	ErrBadFieldValue = errors.New("bad field value")
)

// FieldKind says how FieldSet reads a field's text value. Both backends
// share it, so a value means the same thing on either.
type FieldKind int

// Field kinds.
const (
	FieldText    FieldKind = iota // stored as given; "" clears
	FieldNumber                   // a decimal ≥ 0 (budget)
	FieldInteger                  // a whole number ≥ 0 (seats)
	FieldDate                     // YYYY-MM-DD; "" clears
	FieldStatus                   // a campaign status: active or paused
	FieldRef                      // the id of a row of RefTable; "" clears
	FieldTrait                    // a key of the traits JSON; "" removes it
)

// FieldSpec is a FieldSet request that CheckField accepted.
type FieldSpec struct {
	Kind FieldKind
	// Column is the column written: the field, or "traits" for a trait.
	Column string
	// Trait is NAME for "traits.NAME".
	Trait string
	// RefTable is the table a FieldRef names a row of ("owners",
	// "accounts"), and RefWhat what to call that row in an error.
	RefTable, RefWhat string
}

// Campaign statuses.
const (
	CampaignActive = "active"
	CampaignPaused = "paused"
)

// traitEntities are the entities with a traits column.
var traitEntities = []string{EntityPerson, EntityRecord, EntityAccount, EntityCampaign}

// CheckField says whether entity.field may be set, and how.
func CheckField(entity, field string) (FieldSpec, error) {
	fields, ok := Fields[entity]
	if !ok {
		return FieldSpec{}, fmt.Errorf("%w: unknown entity %q: use person, record, account, campaign, license or template",
			ErrUnknownField, entity)
	}
	if name, ok := strings.CutPrefix(field, "traits."); ok && slices.Contains(traitEntities, entity) {
		if strings.TrimSpace(name) == "" {
			return FieldSpec{}, fmt.Errorf("%w: %s: traits.NAME needs a name", ErrUnknownField, entity)
		}
		return FieldSpec{Kind: FieldTrait, Column: "traits", Trait: name}, nil
	}
	if !slices.Contains(fields, field) {
		extra := ""
		if slices.Contains(traitEntities, entity) {
			extra = ", or traits.NAME for a custom column"
		}
		return FieldSpec{}, fmt.Errorf("%w: %s has no settable field %q: use %s%s",
			ErrUnknownField, entity, field, strings.Join(fields, ", "), extra)
	}
	s := FieldSpec{Kind: FieldText, Column: field}
	switch field {
	case "budget":
		s.Kind = FieldNumber
	case "seats":
		s.Kind = FieldInteger
	case "end_date":
		s.Kind = FieldDate
	case "status":
		s.Kind = FieldStatus
	case "owner_id":
		s.Kind, s.RefTable, s.RefWhat = FieldRef, "owners", "owner"
	case "account_id":
		s.Kind, s.RefTable, s.RefWhat = FieldRef, "accounts", "account"
	}
	return s, nil
}

// Parse turns value into what is stored: a string, a float64, an int64,
// a time.Time (a date at UTC midnight), or nil for a cleared nullable
// field. A trait's value is checked by SetTrait instead and returned as is.
func (s FieldSpec) Parse(value string) (any, error) {
	field := s.Column
	switch s.Kind {
	case FieldNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%w: %s: %q is not a number", ErrBadFieldValue, field, value)
		}
		if f < 0 {
			return nil, fmt.Errorf("%w: %s: %v is below zero", ErrBadFieldValue, field, f)
		}
		return f, nil
	case FieldInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %q is not a whole number", ErrBadFieldValue, field, value)
		}
		if n < 0 {
			return nil, fmt.Errorf("%w: %s: %d is below zero", ErrBadFieldValue, field, n)
		}
		return n, nil
	case FieldDate:
		if value == "" {
			return nil, nil
		}
		d, err := time.Parse("2006-01-02", value)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %q is not a date (YYYY-MM-DD)", ErrBadFieldValue, field, value)
		}
		return d, nil
	case FieldStatus:
		if value != CampaignActive && value != CampaignPaused {
			return nil, fmt.Errorf("%w: %s: %q: use active or paused", ErrBadFieldValue, field, value)
		}
		return value, nil
	case FieldRef:
		if value == "" {
			return nil, nil
		}
		return value, nil
	}
	return value, nil
}

// TextOf formats a stored value the way FieldSet reports it as
// "before": what Parse would read back into the same value.
func TextOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case time.Time:
		return x.UTC().Format("2006-01-02")
	}
	return fmt.Sprint(v)
}

// SetTrait sets (or, for "", removes) one key of a traits JSON object and
// returns the new object ("" when it is left empty) and the key's value
// before, as text: a string as itself, anything else as its JSON.
func SetTrait(raw, name, value string) (after, before string, err error) {
	tr := map[string]any{}
	if strings.TrimSpace(raw) != "" {
		if err := json.Unmarshal([]byte(raw), &tr); err != nil {
			return "", "", fmt.Errorf("stored traits: %w", err)
		}
	}
	switch old := tr[name].(type) {
	case nil:
	case string:
		before = old
	default:
		b, err := json.Marshal(old)
		if err != nil {
			return "", "", fmt.Errorf("trait %s: %w", name, err)
		}
		before = string(b)
	}
	if value == "" {
		delete(tr, name)
	} else {
		tr[name] = value
	}
	if len(tr) == 0 {
		return "", before, nil
	}
	b, err := json.Marshal(tr)
	if err != nil {
		return "", "", fmt.Errorf("traits: %w", err)
	}
	return string(b), before, nil
}

// EntityKeyOf splits an entity id into its key values: a person id as a
// number, a record id "system:system_id" as two strings, any other id as
// itself. An id that cannot name anything is ErrNotFound (wrapped).
func EntityKeyOf(entity, id string) ([]any, error) {
	switch entity {
	case EntityPerson:
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("person %q: %w", id, ErrNotFound)
		}
		return []any{n}, nil
	case EntityRecord:
		system, systemID, ok := strings.Cut(id, ":")
		if !ok || system == "" || systemID == "" {
			return nil, fmt.Errorf("record %q (want system:system_id): %w", id, ErrNotFound)
		}
		return []any{system, systemID}, nil
	}
	if _, ok := Fields[entity]; !ok {
		return nil, fmt.Errorf("%w: unknown entity %q: use person, record, account, campaign, license or template",
			ErrUnknownField, entity)
	}
	if id == "" {
		return nil, fmt.Errorf("%s with an empty id: %w", entity, ErrNotFound)
	}
	return []any{id}, nil
}

// ErrBadMerge is returned (wrapped) by PeopleMerge and PeopleUnmerge for
// a merge that cannot be done: a person into itself, a person already
// merged, or an unmerge of people no longer merged.
var ErrBadMerge = errors.New("cannot merge these people")

// CheckMerge checks a merge before any lookup: at least one person to
// merge, none twice, and none into itself.
func CheckMerge(p *PeopleMergeParams) error {
	if p.Into <= 0 {
		return fmt.Errorf("%w: no person to merge into", ErrBadMerge)
	}
	if len(p.From) == 0 {
		return fmt.Errorf("%w: no people to merge into person %d", ErrBadMerge, p.Into)
	}
	seen := map[int64]bool{}
	for _, id := range p.From {
		if id == p.Into {
			return fmt.Errorf("%w: person %d cannot be merged into itself", ErrBadMerge, id)
		}
		if seen[id] {
			return fmt.Errorf("%w: person %d is listed twice", ErrBadMerge, id)
		}
		seen[id] = true
	}
	return nil
}
