package governance

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed defaults
var defaultFS embed.FS

// DefaultPackFiles are the files `tower init` writes into policies/: the
// default pack (default.yaml) and its tests (tests/default.yaml). Names
// are slash-separated paths relative to policies/.
func DefaultPackFiles() map[string][]byte {
	out := map[string][]byte{}
	_ = fs.WalkDir(defaultFS, "defaults", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := defaultFS.ReadFile(p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "defaults/")] = b
		return nil
	})
	return out
}

// policyFile says whether a file name is one LoadPack reads.
func policyFile(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".toml":
		return true
	}
	return false
}

// LoadPack reads every *.yaml, *.yml and *.toml file in dir (not its
// sub-folders: policies/tests holds test cases), validates and compiles
// it. A missing dir gives the default pack, so a workspace without a
// policies/ folder is still governed.
func LoadPack(dir string) (*Pack, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return defaultPackParsed()
	}
	if err != nil {
		return nil, fmt.Errorf("reading the policies folder: %w", err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !policyFile(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading policy file: %w", err)
		}
		files[name] = b
	}
	return ParsePack(files)
}

// defaultPackParsed parses the embedded default pack.
func defaultPackParsed() (*Pack, error) {
	files := map[string][]byte{}
	for name, b := range DefaultPackFiles() {
		files["policies/"+name] = b
	}
	return ParsePack(files)
}

// isTestFile says whether a file belongs to policy tests (a tests/
// folder), which ParsePack leaves to RunPolicyTests.
func isTestFile(name string) bool {
	for _, part := range strings.Split(filepath.ToSlash(name), "/")[:max(0, strings.Count(filepath.ToSlash(name), "/"))] {
		if part == "tests" {
			return true
		}
	}
	return false
}

// ParsePack parses files (name → content; names are used in messages and
// Rule.Source), merges them and compiles the rules. Files are read in name
// order; files in a tests/ folder (policy tests) and files that are not
// YAML or TOML are skipped, so DefaultPackFiles can be passed as is. Every problem of every file is reported, each as
// "FILE:LINE: field: reason", joined into one error.
func ParsePack(files map[string][]byte) (*Pack, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		if isTestFile(n) || !policyFile(n) {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	p := &Pack{}
	m := merger{pack: p, owner: map[string]string{}, ruleAt: map[string]string{}}
	for _, name := range names {
		d := &decoder{file: name}
		root := d.parseFile(name, files[name])
		if root != nil {
			d.pack(root, &m)
		}
		m.errs = append(m.errs, d.errs...)
		p.Files = append(p.Files, name)
	}
	// Conditions are checked even when other fields are wrong, so one run
	// shows every problem.
	if err := p.compile(m.whenAt); err != nil {
		m.errs = append(m.errs, err)
	}
	if len(m.errs) > 0 {
		return nil, errors.Join(m.errs...)
	}
	return p, nil
}

// merger gathers the sections of every file into one pack.
type merger struct {
	pack   *Pack
	owner  map[string]string // section → "FILE:LINE" that defined it
	ruleAt map[string]string // rule id → "FILE:LINE"
	whenAt []string          // per rule, "FILE:LINE" of its condition
	errs   []error
}
