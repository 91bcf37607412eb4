package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/towerops/tower/internal/action"
	"github.com/towerops/tower/internal/connect"
)

// connectorConfigs reads the workspace's connectors/*.toml once. Two
// connectors claiming one system is refused: each record change must go
// to exactly one place.
func (a *app) connectorConfigs() ([]connect.Config, error) {
	if a.conns != nil {
		return a.conns, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	cfgs, err := connect.Load(filepath.Join(ws.Dir, "connectors"))
	if err != nil {
		return nil, fmt.Errorf("reading the connectors folder:\n%w", err)
	}
	owner := map[string]string{}
	for _, c := range cfgs {
		if prev, ok := owner[c.System]; ok {
			return nil, fmt.Errorf("%s: system %q is already delivered to by connectors/%s.toml; give each system one connector", c.File, c.System, prev)
		}
		owner[c.System] = c.Name
	}
	if cfgs == nil {
		cfgs = []connect.Config{}
	}
	a.conns = cfgs
	return cfgs, nil
}

// outbox maps each connected system to its connector, for the executors.
func (a *app) outbox() action.Outbox {
	cfgs, err := a.connectorConfigs()
	if err != nil || len(cfgs) == 0 {
		return nil // store() refuses to open with broken connector files
	}
	sys := action.Systems{}
	for _, c := range cfgs {
		sys[c.System] = c.Name
	}
	return sys
}

// connectorEnv is what connectors opened by the CLI get: secrets from the
// process environment, logs to the workspace logger.
func (a *app) connectorEnv() connect.Env {
	get := os.Getenv
	if a.environ != nil {
		get = func(k string) string { v, _ := a.environ(k); return v }
	}
	return connect.Env{Getenv: get, Log: a.log()}
}

// openConnectors opens every configured connector, or the named ones.
func (a *app) openConnectors(names ...string) ([]connect.Connector, map[string]int, error) {
	cfgs, err := a.connectorConfigs()
	if err != nil {
		return nil, nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []connect.Connector
	attempts := map[string]int{}
	for _, c := range cfgs {
		if len(want) > 0 && !want[c.Name] {
			continue
		}
		delete(want, c.Name)
		conn, err := connect.Open(c, a.connectorEnv())
		if err != nil {
			return nil, nil, err
		}
		out = append(out, conn)
		attempts[c.Name] = c.MaxAttempts
	}
	for n := range want {
		return nil, nil, fmt.Errorf("no connector named %q: add connectors/%s.toml to the workspace", n, n)
	}
	return out, attempts, nil
}
