package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// AgentSpec is an agent as written in a workspace file (agents/*.toml) or
// given to `tower agents create`.
type AgentSpec struct {
	Name        string            `toml:"name"`
	Skill       string            `toml:"skill"`
	Owner       string            `toml:"owner"`
	Description string            `toml:"description"`
	Schedule    string            `toml:"schedule"`
	State       string            `toml:"state"` // "active" (default) or "paused"
	Scope       store.Scope       `toml:"scope"`
	Params      map[string]any    `toml:"params"`
	Autonomy    map[string]string `toml:"autonomy"`
	Caps        store.Caps        `toml:"caps"`
}

// agentFile is one TOML file: agents as [[agent]] tables.
type agentFile struct {
	Agent []AgentSpec `toml:"agent"`
}

var agentName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,79}$`)

// Check validates a spec against its skill and returns the agent row.
func (s AgentSpec) Check() (store.Agent, error) {
	a := store.Agent{Name: s.Name, Skill: s.Skill, Owner: s.Owner, Description: s.Description,
		Schedule: s.Schedule, Scope: s.Scope, Params: s.Params, Caps: s.Caps, State: store.AgentActive}
	if !agentName.MatchString(s.Name) {
		return a, fmt.Errorf("name %q: use lower-case letters, digits, dots, dashes or underscores (at most 80)", s.Name)
	}
	sk, err := skill.Lookup(s.Skill)
	if err != nil {
		return a, fmt.Errorf("skill: %w", err)
	}
	m := sk.Manifest()
	if strings.TrimSpace(s.Owner) == "" {
		return a, errors.New("owner: required — the user answerable for this agent")
	}
	if _, err := m.Resolve(s.Params); err != nil {
		return a, fmt.Errorf("params: %w", err)
	}
	if err := m.CheckScope(s.Scope.Kind, s.Scope.Values); err != nil {
		return a, fmt.Errorf("scope: %w", err)
	}
	if s.Schedule != "" {
		if _, err := skill.ParseSchedule(s.Schedule); err != nil {
			return a, fmt.Errorf("schedule: %w", err)
		}
	}
	switch s.State {
	case "", "active":
	case "paused":
		a.State = store.AgentPaused
	default:
		return a, fmt.Errorf("state %q: use active or paused", s.State)
	}
	if s.Caps.RecordsPerRun < 0 || s.Caps.RecordsPerDay < 0 || s.Caps.AudiencePct < 0 || s.Caps.AudiencePct > 100 {
		return a, errors.New("caps: counts must be 0 or more and audience_pct between 0 and 100")
	}
	if len(s.Autonomy) > 0 {
		a.Autonomy = map[proposal.Kind]string{}
		kinds := make([]string, 0, len(s.Autonomy))
		for k := range s.Autonomy {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			kind, err := proposal.ParseKind(k)
			if err != nil {
				return a, fmt.Errorf("autonomy: %w", err)
			}
			if !m.Proposes(kind) {
				return a, fmt.Errorf("autonomy.%s: skill %s never proposes %s", k, m.Name, k)
			}
			l, err := governance.ParseLevel(s.Autonomy[k])
			if err != nil {
				return a, fmt.Errorf("autonomy.%s: %w", k, err)
			}
			a.Autonomy[kind] = string(l)
		}
	}
	return a, nil
}

// FileError is a problem in one agent file, with the line when known.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// LoadAgentFiles reads every agents/*.toml file of a workspace folder.
// Good agents are returned even when some are bad; every problem is
// reported with its file and line.
func LoadAgentFiles(dir string) ([]store.Agent, []FileError) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	sort.Strings(paths)
	var out []store.Agent
	var problems []FileError
	seen := map[string]string{}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, FileError{File: path, Msg: err.Error()})
			continue
		}
		var f agentFile
		dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			problems = append(problems, tomlError(path, err))
			continue
		}
		for _, spec := range f.Agent {
			line := lineOf(data, spec.Name)
			a, err := spec.Check()
			if err != nil {
				problems = append(problems, FileError{File: path, Line: line, Msg: fmt.Sprintf("agent %q: %v", spec.Name, err)})
				continue
			}
			if prev, dup := seen[a.Name]; dup {
				problems = append(problems, FileError{File: path, Line: line, Msg: fmt.Sprintf("agent %q is already declared in %s", a.Name, prev)})
				continue
			}
			seen[a.Name] = path
			a.Source = "workspace"
			out = append(out, a)
		}
	}
	return out, problems
}

// tomlError turns a TOML decoding error into a file error. Unknown
// settings are checked first: a StrictMissingError also unwraps to the
// DecodeErrors it holds, whose own text says only "unknown field".
func tomlError(path string, err error) FileError {
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) && len(sm.Errors) > 0 {
		row, _ := sm.Errors[0].Position()
		return FileError{File: path, Line: row, Msg: "unknown setting: " + strings.Join(sm.Errors[0].Key(), ".")}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return FileError{File: path, Line: row, Msg: de.Error()}
	}
	return FileError{File: path, Msg: err.Error()}
}

// lineOf finds the line declaring name = "…" so errors point at the agent.
func lineOf(data []byte, name string) int {
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "name") && strings.Contains(t, `"`+name+`"`) {
			return i + 1
		}
	}
	return 0
}
