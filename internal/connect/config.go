package connect

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Config is one connectors/NAME.toml. Fields a kind does not use are
// ignored by it; unknown keys are refused when the file is read.
type Config struct {
	// Name is the file's stem; deliveries and logs name the connector by it.
	Name string `toml:"-"`
	// File is the path the config was read from, for error messages.
	File string `toml:"-"`

	Kind string `toml:"kind"`
	// System is the system name the connector's records carry in Tower
	// (the "system" column of people.csv): a pull writes records under it,
	// and changes to records of that system are delivered here. Default:
	// the connector's name.
	System string `toml:"system"`
	// URL is the remote API's base URL (default: the vendor's public API),
	// or the webhook's target.
	URL string `toml:"url"`
	// TokenEnv names the environment variable holding the API token
	// (HubSpot private-app token, Salesforce access token, Mautic password,
	// webhook signing secret).
	TokenEnv string `toml:"token_env"`
	// UserEnv names the environment variable holding a user name, for
	// systems that authenticate with user and password (Mautic).
	UserEnv string `toml:"user_env"`
	// Object is the remote object: Salesforce "Contact" (default) or "Lead".
	Object string `toml:"object"`
	// Dir is the csvdir folder, relative to the workspace.
	Dir string `toml:"dir"`
	// BatchSize caps changes per push (default and maximum: the remote
	// API's batch limit).
	BatchSize int `toml:"batch_size"`
	// Timeout bounds one remote call (default 30s).
	Timeout Duration `toml:"timeout"`
	// MaxAttempts is how many times a delivery is tried before it goes to
	// the dead-letter list (default 12: about a day with the default
	// backoff).
	MaxAttempts int `toml:"max_attempts"`
}

// Duration is a TOML string such as "30s" or "2m".
type Duration time.Duration

// UnmarshalText reads a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a duration such as 30s or 2m", b)
	}
	*d = Duration(v)
	return nil
}

// Defaults applied by Load.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 12
)

// Secret reads the token from the environment variable TokenEnv names.
// The error names the variable, never its value.
func (c Config) Secret(env Env) (string, error) { return c.secret(env, "token_env", c.TokenEnv) }

// User reads the user name from the environment variable UserEnv names.
func (c Config) User(env Env) (string, error) { return c.secret(env, "user_env", c.UserEnv) }

func (c Config) secret(env Env, field, name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%s is required for a %s connector: name the environment variable that holds it", field, c.Kind)
	}
	get := env.Getenv
	if get == nil {
		get = os.Getenv
	}
	v := get(name)
	if v == "" {
		return "", fmt.Errorf("%s: the environment variable %s is not set", field, name)
	}
	return v, nil
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// Load reads every connectors/*.toml under dir, sorted by name. A missing
// folder is no connectors. Every bad file is reported (file, line, field,
// reason), and the good ones are still returned.
func Load(dir string) ([]Config, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var out []Config
	var errs []error
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c, err := Parse(p, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

// Parse reads one connector file; path names it in errors and gives its name.
func Parse(path string, b []byte) (Config, error) {
	name := strings.TrimSuffix(filepath.Base(path), ".toml")
	c := Config{Name: name, File: path}
	if !nameRE.MatchString(name) {
		return c, fmt.Errorf("%s: the file name %q must be lower-case letters, digits, - or _", path, name)
	}
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) && len(strict.Errors) > 0 {
			var msgs []string
			for _, e := range strict.Errors {
				row, _ := e.Position()
				msgs = append(msgs, fmt.Sprintf("%s:%d: %s: unknown setting", path, row, strings.Join(e.Key(), ".")))
			}
			return c, errors.New(strings.Join(msgs, "\n"))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return c, fmt.Errorf("%s:%d: %s", path, row, de.Error())
		}
		return c, fmt.Errorf("%s: %w", path, err)
	}
	c.Name, c.File = name, path
	switch {
	case c.Kind == "":
		return c, fmt.Errorf("%s: kind: missing; one of %v", path, Kinds())
	case c.BatchSize < 0:
		return c, fmt.Errorf("%s: batch_size: %d is negative", path, c.BatchSize)
	case c.MaxAttempts < 0:
		return c, fmt.Errorf("%s: max_attempts: %d is negative", path, c.MaxAttempts)
	}
	if c.System == "" {
		c.System = name
	}
	if c.Timeout == 0 {
		c.Timeout = Duration(DefaultTimeout)
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	return c, nil
}

// withDefaults fills what the caller left out.
func (env Env) withDefaults(cfg Config) Env {
	if env.Clock == nil {
		env.Clock = SystemClock{}
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Log == nil {
		env.Log = slog.Default()
	}
	if env.HTTP == nil {
		t := time.Duration(cfg.Timeout)
		if t == 0 {
			t = DefaultTimeout
		}
		env.HTTP = &http.Client{Timeout: t}
	}
	return env
}
