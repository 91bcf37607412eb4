package web

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// kindDefault is the autonomy an action kind starts at for every agent,
// and the skills that set it otherwise.
type kindDefault struct {
	Kind   proposal.Kind
	Level  governance.Level
	Source governance.LevelSource
	Skills []skillLevel
}

type skillLevel struct {
	Skill string
	Level governance.Level
}

type policiesData struct {
	Pack      governance.Pack
	Kinds     []kindDefault
	Tests     []governance.PolicyTestResult
	TestsErr  string
	Failed    int
	TestsFrom string
	Recent    []proposal.Proposal
	SkillCaps []skillCaps
}

type skillCaps struct {
	Skill string
	Caps  governance.Caps
}

// policiesPage shows the workspace's governance as it is in force: the
// rules, autonomy defaults, caps and breaker, the policy tests run now
// against them, and the latest decisions with the rules that made them.
func (s *Server) policiesPage(w http.ResponseWriter, r *http.Request) {
	d := policiesData{}
	if s.Pack != nil {
		d.Pack = *s.Pack
	}
	for _, k := range proposal.Kinds() {
		l, src := d.Pack.Autonomy.LevelOf(store.Agent{}, k, nil)
		kd := kindDefault{Kind: k, Level: l, Source: src}
		for sk, levels := range d.Pack.Autonomy.Skills {
			if lv, ok := levels[k]; ok {
				kd.Skills = append(kd.Skills, skillLevel{Skill: sk, Level: lv})
			}
		}
		slices.SortFunc(kd.Skills, func(a, b skillLevel) int { return strings.Compare(a.Skill, b.Skill) })
		d.Kinds = append(d.Kinds, kd)
	}
	for sk, c := range d.Pack.Caps.Skills {
		d.SkillCaps = append(d.SkillCaps, skillCaps{Skill: sk, Caps: c})
	}
	slices.SortFunc(d.SkillCaps, func(a, b skillCaps) int { return strings.Compare(a.Skill, b.Skill) })

	if s.Pack != nil {
		var err error
		if s.PolicyDir != "" {
			d.TestsFrom = filepath.Join(s.PolicyDir, "tests")
			d.Tests, err = governance.RunPolicyTests(s.Pack, d.TestsFrom)
		} else {
			d.TestsFrom = "Tower's default policies"
			files := map[string][]byte{}
			for name, b := range governance.DefaultPackFiles() {
				if strings.HasPrefix(name, "tests/") {
					files["policies/"+name] = b
				}
			}
			d.Tests, err = governance.RunPolicyTestFiles(s.Pack, files)
		}
		if err != nil {
			d.TestsErr = err.Error()
		}
		for _, t := range d.Tests {
			if !t.Pass {
				d.Failed++
			}
		}
	}
	var err error
	if d.Recent, err = s.Store.ProposalsList(r.Context(), &store.ProposalsListParams{Page: store.Page{Limit: 50}}); err != nil {
		s.readFailed(w, r, "recent decisions", err)
		return
	}
	s.render(w, r, http.StatusOK, "policies", "Policies", d)
}
