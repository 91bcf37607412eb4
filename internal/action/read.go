package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// entityOf maps a target type to the store entity FieldSet and tags use.
var entityOf = map[proposal.TargetType]string{
	proposal.TargetPerson:   store.EntityPerson,
	proposal.TargetRecord:   store.EntityRecord,
	proposal.TargetAccount:  store.EntityAccount,
	proposal.TargetCampaign: store.EntityCampaign,
	proposal.TargetLicense:  store.EntityLicense,
	proposal.TargetTemplate: store.EntityTemplate,
}

// findRecord reads the record a "system:system_id" target names, by its
// natural key.
func findRecord(ctx context.Context, r store.Reader, id, label string) (*foundation.Record, error) {
	system, systemID, ok := proposal.SplitRecordID(id)
	if !ok {
		return nil, fmt.Errorf("record %q (want system:system_id): %w", id, store.ErrNotFound)
	}
	recs, err := r.RecordsList(ctx, &store.RecordsListParams{System: system, SystemID: systemID, Page: store.Page{Limit: 1}})
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("record %s: %w", id, store.ErrNotFound)
	}
	return &recs[0], nil
}

// FindLicense reads the licence of a tool (store.ErrNotFound, wrapped,
// when there is none).
func FindLicense(ctx context.Context, r store.Reader, tool string) (*foundation.License, error) {
	const page = 500
	for off := 0; ; off += page {
		ls, err := r.LicensesList(ctx, &store.LicensesListParams{Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read licence %s: %w", tool, err)
		}
		for _, l := range ls {
			if l.Tool == tool {
				return &l, nil
			}
		}
		if len(ls) < page {
			return nil, fmt.Errorf("licence %q: %w", tool, store.ErrNotFound)
		}
	}
}

// readField reads the current value of one settable field of a target,
// as the text FieldSet would report as "before".
func readField(ctx context.Context, r store.Reader, t proposal.Target, field string) (string, error) {
	var vals map[string]any
	var traits foundation.Traits
	switch t.Type {
	case proposal.TargetPerson:
		id, err := strconv.ParseInt(t.ID, 10, 64)
		if err != nil {
			return "", fmt.Errorf("person %q: %w", t.ID, store.ErrNotFound)
		}
		d, err := r.PersonGet(ctx, &store.PersonGetParams{ID: id})
		if err != nil {
			return "", err
		}
		p := d.Person
		vals, traits = map[string]any{"first_name": p.FirstName, "last_name": p.LastName, "title": p.Title, "phone": p.Phone,
			"account_id": p.AccountID, "country": p.Country, "region": p.Region}, p.Traits
	case proposal.TargetRecord:
		p, err := findRecord(ctx, r, t.ID, t.Label)
		if err != nil {
			return "", err
		}
		vals, traits = map[string]any{"first_name": p.FirstName, "last_name": p.LastName, "title": p.Title, "phone": p.Phone,
			"account_id": p.AccountID, "country": p.Country, "region": p.Region}, p.Traits
	case proposal.TargetAccount:
		d, err := r.AccountGet(ctx, &store.AccountGetParams{ID: t.ID})
		if err != nil {
			return "", err
		}
		a := d.Account
		vals, traits = map[string]any{"name": a.Name, "domain": a.Domain, "industry": a.Industry, "region": a.Region,
			"owner_id": a.OwnerID, "tier": a.Tier, "lifecycle_stage": a.LifecycleStage}, a.Traits
	case proposal.TargetCampaign:
		d, err := r.CampaignGet(ctx, &store.CampaignGetParams{ID: t.ID})
		if err != nil {
			return "", err
		}
		c := d.Campaign
		end := ""
		if !c.EndDate.IsZero() {
			end = c.EndDate.Format("2006-01-02")
		}
		vals, traits = map[string]any{"status": c.Status, "budget": c.Budget, "end_date": end, "owner_id": c.OwnerID}, c.Traits
	case proposal.TargetLicense:
		l, err := FindLicense(ctx, r, t.ID)
		if err != nil {
			return "", err
		}
		vals = map[string]any{"seats": int64(l.Seats)}
	case proposal.TargetTemplate:
		tp, err := r.TemplateGet(ctx, &store.TemplateGetParams{ID: t.ID})
		if err != nil {
			return "", err
		}
		vals = map[string]any{"subject": tp.Subject, "body": tp.Body}
	default:
		return "", fmt.Errorf("%s targets have no fields", t.Type)
	}
	if name, ok := strings.CutPrefix(field, "traits."); ok {
		switch v := traits[name].(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		default:
			b, err := json.Marshal(v)
			return string(b), err
		}
	}
	v, ok := vals[field]
	if !ok {
		_, err := store.CheckField(entityOf[t.Type], field)
		if err == nil {
			err = fmt.Errorf("%s: field %q cannot be read", t.Type, field)
		}
		return "", err
	}
	return store.TextOf(v), nil
}

// paramText is a parameter as FieldSet text: strings as they are,
// numbers without exponent, booleans as true/false.
func paramText(a proposal.Action, name string) string {
	if f, ok := a.Number(name); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return a.Param(name)
}

// fieldChange is one FieldSet an executor made, kept to undo it.
type fieldChange struct {
	Entity string `json:"entity"`
	ID     string `json:"id"`
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// setFields sets field to value on every target and returns the changes.
func setFields(ctx context.Context, q store.Queries, targets []proposal.Target, field, value string) ([]fieldChange, error) {
	out := make([]fieldChange, 0, len(targets))
	for _, t := range targets {
		entity := entityOf[t.Type]
		before, err := q.FieldSet(ctx, &store.FieldSetParams{Entity: entity, ID: t.ID, Field: field, Value: value})
		if err != nil {
			return nil, err
		}
		out = append(out, fieldChange{Entity: entity, ID: t.ID, Field: field, Before: before, After: value})
	}
	return out, nil
}

// restoreFields undoes setFields, last change first.
func restoreFields(ctx context.Context, q store.Queries, undo []byte) error {
	var changes []fieldChange
	if err := json.Unmarshal(undo, &changes); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		if _, err := q.FieldSet(ctx, &store.FieldSetParams{Entity: c.Entity, ID: c.ID, Field: c.Field, Value: c.Before}); err != nil {
			return err
		}
	}
	return nil
}

// previewFields previews setting field to value on every target.
func previewFields(ctx context.Context, r store.Reader, targets []proposal.Target, field, value string) ([]proposal.Change, error) {
	out := make([]proposal.Change, 0, len(targets))
	for _, t := range targets {
		before, err := readField(ctx, r, t, field)
		if err != nil {
			return nil, err
		}
		out = append(out, proposal.Change{Target: t, Field: field, Before: before, After: value})
	}
	return out, nil
}

// marshal is json.Marshal for undo data, whose types always encode.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("action: undo data does not encode: %v", err))
	}
	return b
}
