package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// defaultConfig is what `tower init` writes: every setting, commented, so
// a person can see what exists without reading docs.
const defaultConfig = `# Tower workspace settings. Environment variables TOWER_<SECTION>_<KEY>
# (for example TOWER_DATABASE_URL) override what is written here.

# name = "Acme marketing"   # shown in the console and briefings; default: folder name

[database]
# sqlite:PATH keeps everything in one file in this folder (the default).
# postgres://USER@HOST:5432/DB lets several tower serve nodes share one database.
url = "sqlite:tower.db"

[server]
# Where tower serve listens. Loopback by default; put a TLS proxy in front to expose it.
addr = "127.0.0.1:8080"

[log]
level = "info"   # debug, info, warn, error
format = "text"  # text or json
`

// Folders created by Init, each holding what a team keeps in git.
var Folders = []string{"data", "knowledge", "policies", "agents"}

// Init makes dir a workspace: tower.toml and the standard folders. It
// refuses to overwrite an existing tower.toml. environ (nil: the process
// environment) supplies TOWER_* overrides for the returned configuration.
func Init(dir string, environ func(string) (string, bool)) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", abs, err)
	}
	path := filepath.Join(abs, ConfigFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s is already a Tower workspace (%s exists)", abs, ConfigFile)
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := f.WriteString(defaultConfig); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	for _, sub := range Folders {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", sub, err)
		}
	}
	if environ == nil {
		environ = os.LookupEnv
	}
	return open(abs, environ)
}
