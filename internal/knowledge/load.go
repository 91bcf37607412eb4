package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// File is one file of the knowledge folder as `tower knowledge check`
// reports it: its front matter, its layer and how many entries it holds.
type File struct {
	Meta
	Layer string
	// Items counts the file's entries: products, offers or messages;
	// banned phrases for brand; allowed sources plus mediums for utm.
	Items int
	// UpdatedLine is the line of the updated key, for stale warnings.
	UpdatedLine int
}

// splitLayers may be split into files under a folder of the layer's name,
// so different teams can own different files. Brand and UTM are one file
// each: two files could disagree on a rule.
var splitLayers = map[string]bool{LayerProducts: true, LayerOffers: true, LayerMessaging: true}

// futureSlack lets a team a day ahead of UTC write today's date.
const futureSlack = 24 * time.Hour

// Load reads and validates the knowledge folder dir. A folder that does
// not exist is an empty Set with the default brand and UTM layers. Every
// problem is collected and returned as *LoadError.
func Load(dir string) (*Set, error) { return LoadAt(dir, time.Now()) }

// LoadAt is Load with a given "today", against which an updated date in
// the future is a problem; tests and the demo use a fixed day.
func LoadAt(dir string, now time.Time) (*Set, error) {
	s := &Set{Dir: dir, Brand: DefaultBrand(), UTM: DefaultUTM()}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the knowledge folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("the knowledge folder %s is a file, not a folder", dir)
	}
	names, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	l := &loader{set: s, now: now, productAt: map[string]where{}, offerAt: map[string]where{}, messageAt: map[string]where{}}
	for _, n := range names {
		if n.problem != "" {
			l.problems = append(l.problems, Problem{File: n.rel, Reason: n.problem})
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n.rel)))
		if err != nil {
			return nil, fmt.Errorf("reading the knowledge file %s: %w", n.rel, err)
		}
		l.decode(n.rel, n.layer, b)
	}
	l.checkRefs()
	if len(l.problems) > 0 {
		sortProblems(l.problems)
		return nil, &LoadError{Problems: l.problems}
	}
	return s, nil
}

// entry is one file found in the folder: its layer, or why it is not one.
type entry struct {
	rel     string // slash-separated, relative to the folder
	layer   string
	problem string
}

const expectedFiles = "expected one of products.toml, offers.toml, messaging.toml, brand.toml, utm.toml, " +
	"or .toml files under products/, offers/ or messaging/"

// listFiles names every file of the folder, sorted, with its layer.
// Hidden files and folders (.git, .gitkeep) and Markdown notes are skipped.
func listFiles(dir string) ([]entry, error) {
	top, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the knowledge folder: %w", err)
	}
	var out []entry
	for _, e := range top {
		name := e.Name()
		if skipped(name) {
			continue
		}
		if !e.IsDir() {
			layer := strings.TrimSuffix(name, ".toml")
			if strings.HasSuffix(name, ".toml") && isLayer(layer) {
				out = append(out, entry{rel: name, layer: layer})
			} else {
				out = append(out, entry{rel: name, problem: "not a knowledge layer; " + expectedFiles})
			}
			continue
		}
		if !splitLayers[name] {
			reason := "folder is not a knowledge layer; only products/, offers/ and messaging/ may be split into files"
			if isLayer(name) {
				reason = fmt.Sprintf("the %s layer is one file: %s.toml", name, name)
			}
			out = append(out, entry{rel: name + "/", problem: reason})
			continue
		}
		inner, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("reading the knowledge folder %s: %w", name, err)
		}
		for _, f := range inner {
			rel := path.Join(name, f.Name())
			switch {
			case skipped(f.Name()):
			case f.IsDir():
				out = append(out, entry{rel: rel + "/", problem: fmt.Sprintf("folders inside %s/ are not read; put its .toml files directly in %s/", name, name)})
			case strings.HasSuffix(f.Name(), ".toml"):
				out = append(out, entry{rel: rel, layer: name})
			default:
				out = append(out, entry{rel: rel, problem: fmt.Sprintf("not a knowledge file; files in %s/ must end in .toml", name)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, nil
}

// skipped says a name is not knowledge: hidden files and folders, and
// Markdown notes a team keeps next to its files.
func skipped(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(strings.ToLower(name), ".md")
}

func isLayer(name string) bool {
	for _, l := range Layers {
		if l == name {
			return true
		}
	}
	return false
}

// where is the file and line an entry was written at.
type where struct {
	file string
	line int
}

func (w where) String() string { return fmt.Sprintf("%s:%d", w.file, w.line) }

// ref is a product id named by another entry, checked once every file is
// read (the product may be defined in a later file).
type ref struct {
	where
	field, id string
}

// loader collects the Set and every problem across the folder's files.
type loader struct {
	set      *Set
	now      time.Time
	problems []Problem

	productAt, offerAt, messageAt map[string]where
	refs                          []ref
}

// decode reads one file of a layer into the Set.
func (l *loader) decode(rel, layer string, b []byte) {
	f := &file{name: rel, problems: &l.problems}
	t := f.parse(b)
	if t == nil {
		return
	}
	meta, updatedLine := l.frontMatter(t)
	var items int
	switch layer {
	case LayerProducts:
		items = l.products(t, meta)
	case LayerOffers:
		items = l.offers(t, meta)
	case LayerMessaging:
		items = l.messaging(t, meta)
	case LayerBrand:
		items = l.brand(t, meta)
	case LayerUTM:
		items = l.utm(t, meta)
	}
	t.done()
	l.set.Files = append(l.set.Files, File{Meta: meta, Layer: layer, Items: items, UpdatedLine: updatedLine})
}

// frontMatter reads owner and updated, which every file must have: a
// knowledge file nobody owns or nobody reviewed cannot be trusted.
func (l *loader) frontMatter(t *table) (Meta, int) {
	m := Meta{File: t.f.name}
	m.Owner = t.str("owner")
	if m.Owner == "" && !t.badType("owner") {
		t.f.add(0, "owner", `is required: the team that keeps this file, e.g. owner = "product-marketing"`)
	}
	m.Updated = t.date("updated")
	if !t.has("updated") {
		t.f.add(0, "updated", "is required: the day the file was last reviewed, e.g. updated = "+l.now.Format(time.DateOnly))
	} else if !m.Updated.IsZero() && m.Updated.After(l.now.Add(futureSlack)) {
		t.problem("updated", fmt.Sprintf("%s is in the future; write the day the file was last reviewed", m.Updated.Format(time.DateOnly)))
	}
	return m, t.line("updated")
}

// Stale lists the files last reviewed more than age before now, as
// warnings: old product truth is worth a look but still usable, so it
// never stops a load.
func (s *Set) Stale(now time.Time, age time.Duration) []Problem {
	var out []Problem
	for _, f := range s.Files {
		if f.Updated.IsZero() || !f.Updated.Before(now.Add(-age)) {
			continue
		}
		days := int(now.Sub(f.Updated).Hours() / 24)
		out = append(out, Problem{File: f.File, Line: f.UpdatedLine, Field: "updated",
			Reason: fmt.Sprintf("last reviewed %s, %d days ago; ask %s to check it is still true", f.Updated.Format(time.DateOnly), days, ownerOr(f.Owner))})
	}
	return out
}

func ownerOr(owner string) string {
	if owner == "" {
		return "its owner"
	}
	return owner
}

// Func returns the Set's layers in the shape the fleet runner takes
// (skill.KnowledgeFunc): a skill asks for a layer by name.
func (s *Set) Func() func(layer string) (any, error) { return s.Layer }

// sortProblems orders problems by file and line, so a person reads them
// top to bottom.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}
