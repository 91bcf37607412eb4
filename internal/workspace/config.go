package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/knadh/koanf/parsers/toml/v2"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
)

// ConfigFile is the name of the file that marks a folder as a workspace.
const ConfigFile = "tower.toml"

// Config is a workspace's bootstrap configuration.
type Config struct {
	// Name is shown in the console and briefings. Default: the folder name.
	Name     string `koanf:"name"`
	Database struct {
		// URL picks the backend: "sqlite:PATH" (PATH relative to the
		// workspace) or "postgres://USER@HOST:PORT/DB". Default:
		// "sqlite:tower.db". Env: TOWER_DATABASE_URL.
		URL string `koanf:"url"`
	} `koanf:"database"`
	Server struct {
		// Addr is where `tower serve` listens. Default "127.0.0.1:8080",
		// loopback only, so a fresh install is not exposed by accident.
		// Env: TOWER_SERVER_ADDR.
		Addr string `koanf:"addr"`
	} `koanf:"server"`
	Ingest struct {
		// MaxPending is how many received events may wait for the
		// database before new requests get 503 with Retry-After. Default
		// 50,000 (about a second of work). Env: TOWER_INGEST_MAX_PENDING.
		MaxPending int `koanf:"max_pending"`
		// MaxGroup bounds the events written in one transaction. Default
		// 5,000. Env: TOWER_INGEST_MAX_GROUP.
		MaxGroup int `koanf:"max_group"`
	} `koanf:"ingest"`
	Log struct {
		// Level is debug, info, warn or error. Default "info".
		Level string `koanf:"level"`
		// Format is "text" or "json". Default "text".
		Format string `koanf:"format"`
	} `koanf:"log"`
}

// Defaults returns the configuration used where tower.toml says nothing.
func Defaults(dir string) Config {
	var c Config
	c.Name = filepath.Base(dir)
	c.Database.URL = "sqlite:tower.db"
	c.Server.Addr = "127.0.0.1:8080"
	c.Log.Level = "info"
	c.Log.Format = "text"
	return c
}

// LoadConfig reads dir/tower.toml over the defaults, then TOWER_* variables
// over that (TOWER_DATABASE_URL sets database.url). A relative SQLite path
// is made absolute against dir, so commands work from any folder.
func LoadConfig(dir string, environ func(string) (string, bool)) (Config, error) {
	k := koanf.New(".")
	path := filepath.Join(dir, ConfigFile)
	if err := k.Load(file.Provider(path), toml.Parser()); err != nil {
		return Config{}, fmt.Errorf("reading %s: %w", path, err)
	}
	if environ == nil {
		environ = os.LookupEnv
	}
	envProvider := env.Provider(".", env.Opt{
		Prefix: "TOWER_",
		TransformFunc: func(key, value string) (string, any) {
			key = strings.ToLower(strings.TrimPrefix(key, "TOWER_"))
			section, rest, ok := strings.Cut(key, "_")
			if !ok || !knownSection[section] {
				return "", nil // TOWER_WORKSPACE and friends are not config keys
			}
			return section + "." + rest, value
		},
		EnvironFunc: func() []string { return environ2list(environ) },
	})
	if err := k.Load(envProvider, nil); err != nil {
		return Config{}, fmt.Errorf("reading TOWER_* environment: %w", err)
	}
	cfg := Defaults(dir)
	if err := k.Unmarshal("", &cfg); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	cfg.Database.URL = absSQLite(dir, cfg.Database.URL)
	return cfg, cfg.validate(path)
}

var knownSection = map[string]bool{"database": true, "server": true, "ingest": true, "log": true}

// environ2list adapts a lookup function to the list koanf wants; only the
// keys Tower knows are asked for, so no unrelated environment is read.
func environ2list(lookup func(string) (string, bool)) []string {
	var out []string
	for _, k := range []string{"TOWER_DATABASE_URL", "TOWER_SERVER_ADDR", "TOWER_LOG_LEVEL", "TOWER_LOG_FORMAT",
		"TOWER_INGEST_MAX_PENDING", "TOWER_INGEST_MAX_GROUP"} {
		if v, ok := lookup(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func absSQLite(dir, url string) string {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok || path == "" || filepath.IsAbs(path) || strings.HasPrefix(path, ":memory:") {
		return url
	}
	return "sqlite:" + filepath.Join(dir, path)
}

func (c Config) validate(path string) error {
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("%s: log.level %q is not one of debug, info, warn, error", path, c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return fmt.Errorf("%s: log.format %q is not one of text, json", path, c.Log.Format)
	}
	if !strings.HasPrefix(c.Database.URL, "sqlite:") && !strings.HasPrefix(c.Database.URL, "postgres://") &&
		!strings.HasPrefix(c.Database.URL, "postgresql://") {
		return fmt.Errorf("%s: database.url must start with sqlite: or postgres://", path)
	}
	if c.Ingest.MaxPending < 0 || c.Ingest.MaxGroup < 0 {
		return fmt.Errorf("%s: ingest.max_pending and ingest.max_group must be positive (or 0 for the default)", path)
	}
	return nil
}
