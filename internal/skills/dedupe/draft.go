package dedupe

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/linkage"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// minutesPerDuplicate is the hand work one duplicate costs: find it,
// compare the two, merge it in each system that holds it.
const minutesPerDuplicate = 10

// draft proposes merging one cluster into the person most systems know
// (the oldest on a tie), so the fewest records move.
func draft(ctx context.Context, v skill.View, a skill.Agent, people *population, model linkage.Model, c cluster) (proposal.Draft, error) {
	ids := slices.Clone(c.ids)
	slices.SortStableFunc(ids, func(x, y int64) int {
		if d := len(people.byID[y].Systems) - len(people.byID[x].Systems); d != 0 {
			return d
		}
		return int(x - y)
	})
	targets := make([]proposal.Target, len(ids))
	labels := make([]string, len(ids))
	for i, id := range ids {
		labels[i] = label(people.byID[id])
		targets[i] = proposal.Target{Type: proposal.TargetPerson, ID: strconv.FormatInt(id, 10), Label: labels[i]}
	}
	status, facts, err := strictest(ctx, v, ids, people)
	if err != nil {
		return proposal.Draft{}, err
	}
	for _, l := range c.links {
		facts = append(facts, proposal.Fact{
			Name:   fmt.Sprintf("%s ↔ %s", label(people.byID[personID(l.A)]), label(people.byID[personID(l.B)])),
			Value:  fmt.Sprintf("%.1f%% match", 100*l.Probability),
			Source: explain(l),
		})
	}
	facts = append(facts, proposal.Fact{Name: "model", Value: fmt.Sprintf("Fellegi–Sunter, %d EM iterations", model.Iterations),
		Source: "estimated on this workspace's people"})
	n := len(ids) - 1
	title := fmt.Sprintf("Merge %d people who look like one human: %s", len(ids), strings.Join(labels, " = "))
	return proposal.Draft{
		Agent: a.Name,
		Title: title,
		Rationale: fmt.Sprintf("These %d people match with %.1f%% probability on their weakest link (details below). "+
			"Merged, they are one person with every record of each; consent facts stay on their records, so the merged person's e-mail status is %s — merging never makes anyone sendable.",
			len(ids), 100*c.weakest, status),
		Actions:  []proposal.Action{{Kind: proposal.MergePeople, Targets: targets, Params: map[string]any{}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: float64(n*minutesPerDuplicate) / 60,
			Assumptions: []string{fmt.Sprintf("%d minutes of hand work per duplicate (find, compare, merge in each system)", minutesPerDuplicate)}},
		Confidence: c.weakest,
		Key:        "merge:" + joinIDs(c.ids),
	}, nil
}

// strictest reads each person's e-mail state (the strictest latest fact
// of its records) and says what the merged person's will be.
func strictest(ctx context.Context, v skill.View, ids []int64, people *population) (string, []proposal.Fact, error) {
	var facts []proposal.Fact
	worst := foundation.StatusSubscribed
	worstFrom := ""
	known := false
	for _, id := range ids {
		cs, err := v.ConsentList(ctx, &store.ConsentListParams{PersonID: id, Channel: foundation.ChannelEmail, Page: store.Page{Limit: 1000}})
		if err != nil {
			return "", nil, fmt.Errorf("read consent of person %d: %w", id, err)
		}
		latest := map[string]foundation.Consent{} // by record; facts come oldest first
		for _, c := range cs {
			latest[c.System+":"+c.SystemID] = c
		}
		state, from := "no e-mail consent fact", ""
		personWorst := foundation.ConsentStatus("")
		for _, k := range slices.Sorted(maps.Keys(latest)) {
			c := latest[k]
			if personWorst == "" || c.Status.Rank() < personWorst.Rank() {
				personWorst, from = c.Status, fmt.Sprintf("%s, %s", c.System, c.At.Format("2006-01-02"))
			}
		}
		if personWorst != "" {
			state = string(personWorst)
			known = true
			if personWorst.Rank() < worst.Rank() || worstFrom == "" {
				worst, worstFrom = personWorst, from
			}
		}
		facts = append(facts, proposal.Fact{Name: "e-mail status of " + label(people.byID[id]), Value: state, Source: from})
	}
	if !known {
		return "unknown (no e-mail consent fact on any record)", facts, nil
	}
	return fmt.Sprintf("%s (from %s)", worst, worstFrom), facts, nil
}

// explain says what each field contributed, strongest first.
func explain(p linkage.Pair) string {
	fs := slices.Clone(p.Fields)
	slices.SortFunc(fs, func(a, b linkage.FieldMatch) int {
		switch {
		case abs(a.Weight) > abs(b.Weight):
			return -1
		case abs(a.Weight) < abs(b.Weight):
			return 1
		}
		return 0
	})
	var parts []string
	for _, f := range fs {
		if f.Weight == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s (%+.1f bits)", f.Field, f.Level, f.Weight))
	}
	return strings.Join(parts, "; ")
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func label(p store.PersonSummary) string {
	name := strings.TrimSpace(p.FirstName + " " + p.LastName)
	switch {
	case name != "" && p.Email != "":
		return name + " <" + p.Email + ">"
	case name != "":
		return name + " (no address)"
	}
	return p.Email
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
