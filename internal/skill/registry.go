package skill

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

var (
	mu       sync.RWMutex
	registry = map[string]Skill{}
)

// ErrUnknownSkill is returned (wrapped) by Lookup.
var ErrUnknownSkill = errors.New("unknown skill")

// ErrUndeclaredLayer is returned by View.Knowledge for a layer the skill's
// manifest does not declare.
var ErrUndeclaredLayer = errors.New("knowledge layer not declared by the skill")

// Register adds a built-in skill; each skill package calls it in init.
// It panics on an invalid manifest or a name registered twice: both are
// programming errors found at start-up.
func Register(s Skill) {
	m := s.Manifest()
	if err := m.Validate(); err != nil {
		panic(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[m.Name]; dup {
		panic(fmt.Sprintf("skill %s registered twice", m.Name))
	}
	registry[m.Name] = s
}

// Lookup finds a skill by name.
func Lookup(name string) (Skill, error) {
	mu.RLock()
	defer mu.RUnlock()
	if s, ok := registry[name]; ok {
		return s, nil
	}
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("%w %q: the skills are %s", ErrUnknownSkill, name, strings.Join(names, ", "))
}

// All returns every registered skill, by name.
func All() []Skill {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Skill, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Manifest().Name < out[j].Manifest().Name })
	return out
}
