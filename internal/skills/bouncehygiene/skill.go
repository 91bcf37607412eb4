package bouncehygiene

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync/consentstate"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "bounce-hygiene"

func init() { skill.Register(Skill{}) }

// Skill implements bounce-hygiene.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "marketing-ops",
		Description: "Propagates permanent bounces to the person's other records, suppresses addresses that keep soft-bouncing, tags malformed and role addresses, and tells the owner about sender-side (policy) bounces instead of blaming the recipient.",
		Triggers:    skill.Triggers{Schedule: "40 5 * * *", Events: []string{"import:consent"}},
		Actions:     []proposal.Kind{proposal.Suppress, proposal.Tag, proposal.Notify, proposal.CreateTask},
		Scopes:      []string{"region", "accounts"},
		Params: []skill.Param{
			{Name: "soft_count", Type: skill.Int, Default: 3, Min: skill.Bound(2), Max: skill.Bound(50), Description: "soft bounces (on distinct days, none followed by engagement) that make an address suppressed"},
			{Name: "soft_span", Type: skill.Duration, Default: "15d", Description: "the first and last of those bounces must be at least this far apart"},
			{Name: "dns_suspect", Type: skill.Int, Default: 3, Min: skill.Bound(2), Max: skill.Bound(100000), Description: "this many 5.1.2 (domain invalid) bounces on one domain on one day look like a DNS outage: flag, do not suppress"},
			{Name: "policy_window", Type: skill.Duration, Default: "30d", Description: "sender-side (policy) bounces this recent go in the owner's notice"},
			{Name: "role_prefixes", Type: skill.String, Default: DefaultRolePrefixes, Description: "local parts treated as role mailboxes, comma-separated"},
			{Name: "role_tag", Type: skill.String, Default: "role-address", Description: "the tag campaigns exclude role addresses by"},
			{Name: "invalid_tag", Type: skill.String, Default: "invalid-address", Description: "the tag put on records whose address is malformed"},
			{Name: "max_proposals", Type: skill.Int, Default: 1000, Min: skill.Bound(1), Max: skill.Bound(100000), Description: "at most this many proposals per agent per run: owner notices first, then hard bounces, soft bounces, malformed and role addresses"},
		},
	}
}

// world is what one run reads once for its whole batch.
type world struct {
	people   map[int64]*consentstate.Person
	ids      []int64             // people, in id order
	activity map[int64]time.Time // latest event per person
	domains  map[string][]string // "domain day" -> record keys bounced 5.1.2
	tags     map[string]map[string]bool
}

// Run reads consent, activity and tags once, then proposes per agent.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	people, err := consentstate.Load(ctx, v, foundation.ChannelEmail)
	if err != nil {
		return nil, err
	}
	w := &world{people: people, domains: map[string][]string{}, tags: map[string]map[string]bool{}}
	var softIDs []int64
	for id, p := range people {
		w.ids = append(w.ids, id)
		for _, b := range bouncesOf(p) {
			switch b.class {
			case DomainHard:
				k := domainOf(b.email) + " " + b.fact.At.UTC().Format("2006-01-02")
				w.domains[k] = append(w.domains[k], b.key)
			case Soft:
				if !slices.Contains(softIDs, id) {
					softIDs = append(softIDs, id)
				}
			}
		}
	}
	slices.Sort(w.ids)
	if w.activity, err = lastActivity(ctx, v, softIDs); err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		for _, t := range []struct{ entity, tag string }{{store.EntityPerson, a.Params.String("role_tag")}, {store.EntityRecord, a.Params.String("invalid_tag")}} {
			k := t.entity + "/" + t.tag
			if w.tags[k] == nil {
				if w.tags[k], err = tagged(ctx, v, t.entity, t.tag); err != nil {
					return nil, err
				}
			}
		}
		drafts = append(drafts, forAgent(a, w, v.Now())...)
	}
	return drafts, nil
}

const page = 5000

func lastActivity(ctx context.Context, v skill.View, ids []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for start := 0; start < len(ids); start += 1000 {
		got, err := v.LastActivity(ctx, &store.LastActivityParams{PersonIDs: ids[start:min(start+1000, len(ids))]})
		if err != nil {
			return nil, fmt.Errorf("read activity: %w", err)
		}
		for id, t := range got {
			out[id] = t
		}
	}
	return out, nil
}

// tagged returns the ids of the entities that carry tag.
func tagged(ctx context.Context, v skill.View, entity, tag string) (map[string]bool, error) {
	out := map[string]bool{}
	for offset := 0; ; offset += page {
		tags, err := v.TagsList(ctx, &store.TagsListParams{Page: store.Page{Limit: page, Offset: offset}, Entity: entity, Tag: tag})
		if err != nil {
			return nil, fmt.Errorf("read tags: %w", err)
		}
		for _, t := range tags {
			out[t.ID] = true
		}
		if len(tags) < page {
			return out, nil
		}
	}
}

func personKey(kind string, id int64) string { return kind + ":person:" + strconv.FormatInt(id, 10) }
