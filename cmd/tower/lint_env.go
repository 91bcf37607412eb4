package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/skills/templatereview"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/templateqa"
	"github.com/towerops/tower/internal/workspace"
)

// lintEnv is what `tower lint` checks templates against: the workspace's
// brand and UTM layers and its people, or the defaults outside a
// workspace (then merge fields are not checked against a foundation).
type lintEnv struct {
	brand  *knowledge.Brand
	utm    *knowledge.UTM
	st     store.Store // nil outside a workspace
	fields map[string]bool
	recips []templateqa.Recipient
}

// lintEnv builds the environment; knowledgeDir, when set, overrides the
// workspace's knowledge folder (and works outside a workspace).
func (a *app) lintEnv(ctx context.Context, sample int, knowledgeDir string) (*lintEnv, error) {
	env := &lintEnv{brand: knowledge.DefaultBrand(), utm: knowledge.DefaultUTM()}
	load := func(dir string) error {
		set, err := knowledge.Load(dir)
		if err != nil {
			return fmt.Errorf("%w\n(run `tower knowledge check %s` for details)", err, dir)
		}
		env.brand, env.utm = set.Brand, set.UTM
		return nil
	}
	if knowledgeDir != "" {
		if _, err := os.Stat(knowledgeDir); err != nil {
			return nil, fmt.Errorf("knowledge folder: %w", err)
		}
		if err := load(knowledgeDir); err != nil {
			return nil, err
		}
	}
	ws, err := a.workspace()
	if errors.Is(err, workspace.ErrNoWorkspace) {
		return env, nil
	}
	if err != nil {
		return nil, err
	}
	if knowledgeDir == "" {
		if err := load(filepath.Join(ws.Dir, "knowledge")); err != nil {
			return nil, err
		}
	}
	if env.st, err = a.store(ctx); err != nil {
		return nil, err
	}
	if env.fields, env.recips, err = templatereview.Audience(ctx, env.st, sample); err != nil {
		return nil, err
	}
	return env, nil
}

// forTemplate is the Env for one template: its campaign's utm_campaign
// comes from the workspace when there is one.
func (e *lintEnv) forTemplate(ctx context.Context, campaignID string) (templateqa.Env, error) {
	env := templateqa.Env{Brand: e.brand, UTM: e.utm, Fields: e.fields, Recipients: e.recips}
	if e.st != nil {
		c, err := templatereview.CampaignUTM(ctx, e.st, campaignID)
		if err != nil {
			return env, err
		}
		env.Campaign = c
	}
	return env, nil
}

// templateExts are the file endings `tower lint templates DIR` reads, the
// same as the import's.
var templateExts = []string{".liquid", ".hbs", ".handlebars", ".html"}

// readTemplateDir parses every template file under dir (or dir itself
// when it is a file), in path order. A file that cannot be read as a
// template becomes a finding, and the others are still linted.
func readTemplateDir(dir string) ([]templateqa.Template, []templateqa.Finding, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && slices.Contains(templateExts, strings.ToLower(filepath.Ext(path))) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading templates: %w", err)
	}
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("%s holds no template files (%s)", dir, strings.Join(templateExts, ", "))
	}
	var out []templateqa.Template
	var unreadable []templateqa.Finding
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("reading templates: %w", err)
		}
		t, err := templateqa.ParseFile(p, b)
		if err != nil {
			unreadable = append(unreadable, templateqa.Finding{File: p, Line: 1, Col: 1, Rule: "unreadable",
				Severity: templateqa.Error, Message: err.Error()})
			continue
		}
		out = append(out, t)
	}
	return out, unreadable, nil
}

func pluralWord(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
