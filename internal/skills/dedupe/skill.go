package dedupe

import (
	"context"
	"fmt"
	"strconv"

	"github.com/towerops/tower/internal/linkage"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "dedupe"

func init() { skill.Register(Skill{}) }

// Skill implements dedupe.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "marketing-ops",
		Description: "Finds people who are the same human entered twice (typos, nicknames, a second address, a CRM contact without one) and proposes merging them, keeping the strictest suppression.",
		Triggers:    skill.Triggers{Schedule: "0 5 * * *", Events: []string{"import:people"}},
		Actions:     []proposal.Kind{proposal.MergePeople},
		Params: []skill.Param{
			{Name: "min_probability", Type: skill.Float, Default: 0.95, Min: skill.Bound(0.5), Max: skill.Bound(0.9999),
				Description: "propose a merge only when every link in the cluster is at least this probable"},
			{Name: "max_proposals", Type: skill.Int, Default: 500, Min: skill.Bound(1), Max: skill.Bound(100000),
				Description: "at most this many merges per run, most probable first"},
		},
	}
}

// Run links every person once for the batch (the model is estimated on
// the whole workspace), then each agent proposes from it by its own
// threshold.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	people, err := loadPeople(ctx, v)
	if err != nil {
		return nil, err
	}
	if len(people.recs) < 2 {
		return nil, nil
	}
	lowest := 1.0
	for _, a := range batch {
		lowest = min(lowest, a.Params.Float("min_probability"))
	}
	res, err := linkage.Dedupe(ctx, people.recs, linkage.Config{Threshold: lowest})
	if err != nil {
		return nil, fmt.Errorf("link people: %w", err)
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		got, err := s.forAgent(ctx, v, a, people, res)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		drafts = append(drafts, got...)
	}
	return drafts, nil
}

func (s Skill) forAgent(ctx context.Context, v skill.View, a skill.Agent, people *population, res *linkage.Result) ([]proposal.Draft, error) {
	clusters := clustersAbove(res, a.Params.Float("min_probability"), people.mergeable)
	limit := int(a.Params.Int("max_proposals"))
	var drafts []proposal.Draft
	for _, c := range clusters {
		if len(drafts) >= limit {
			break
		}
		d, err := draft(ctx, v, a, people, res.Model, c)
		if err != nil {
			return nil, err
		}
		drafts = append(drafts, d)
	}
	return drafts, nil
}

// personID reads a linkage record id back.
func personID(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// page is how many people one read takes.
var page = store.Page{Limit: 2000}
