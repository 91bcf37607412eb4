package main

import (
	"path/filepath"
	"sync"

	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/skill"
)

// knowledgeLoader loads the workspace's knowledge folder once, the first
// time a skill asks for a layer, so commands that run no skill never read
// it and a broken folder fails only the skills that need it.
type knowledgeLoader struct {
	dir  string
	once sync.Once
	set  *knowledge.Set
	err  error
}

func (k *knowledgeLoader) load() (*knowledge.Set, error) {
	k.once.Do(func() { k.set, k.err = knowledge.Load(k.dir) })
	return k.set, k.err
}

// knowledgeFunc is the layer lookup the fleet runner hands to skills.
func (a *app) knowledgeFunc() skill.KnowledgeFunc {
	if a.know == nil {
		dir := ""
		if ws, err := a.workspace(); err == nil {
			dir = filepath.Join(ws.Dir, "knowledge")
		}
		a.know = &knowledgeLoader{dir: dir}
	}
	k := a.know
	return func(layer string) (any, error) {
		set, err := k.load()
		if err != nil {
			return nil, err
		}
		return set.Layer(layer)
	}
}
