package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoWorkspace means no tower.toml was found where a command looked.
var ErrNoWorkspace = errors.New("not in a Tower workspace")

// Workspace is an opened workspace folder and its configuration.
type Workspace struct {
	Dir    string
	Config Config
}

// Find locates the workspace a command acts on: the folder named by flag
// (--workspace), else TOWER_WORKSPACE, else the current folder or the
// nearest parent holding a tower.toml, as git finds its repository.
func Find(flag string, environ func(string) (string, bool)) (*Workspace, error) {
	if environ == nil {
		environ = os.LookupEnv
	}
	dir := flag
	explicit := dir != ""
	if !explicit {
		if v, ok := environ("TOWER_WORKSPACE"); ok && v != "" {
			dir, explicit = v, true
		}
	}
	if explicit {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("workspace %s: %w", dir, err)
		}
		if _, err := os.Stat(filepath.Join(abs, ConfigFile)); err != nil {
			return nil, fmt.Errorf("%w: %s has no %s (create one with `tower init %s`)", ErrNoWorkspace, abs, ConfigFile, dir)
		}
		return open(abs, environ)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the current folder: %w", err)
	}
	for d := cwd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ConfigFile)); err == nil {
			return open(d, environ)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return nil, fmt.Errorf("%w: no %s in %s or any folder above it. Run `tower init` to make one here, "+
		"`tower demo` to try Tower on sample data, or pass --workspace DIR", ErrNoWorkspace, ConfigFile, cwd)
}

func open(dir string, environ func(string) (string, bool)) (*Workspace, error) {
	cfg, err := LoadConfig(dir, environ)
	if err != nil {
		return nil, err
	}
	return &Workspace{Dir: dir, Config: cfg}, nil
}
