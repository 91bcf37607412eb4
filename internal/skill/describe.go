package skill

// Description is the stable JSON form of a skill's manifest, as the CLI
// and the API show it.
type Description struct {
	Name        string             `json:"name"`
	Team        string             `json:"team"`
	Description string             `json:"description"`
	Schedule    string             `json:"schedule,omitempty"`
	Events      []string           `json:"events,omitempty"`
	Actions     []string           `json:"actions"`
	Scopes      []string           `json:"scopes"`
	Knowledge   []string           `json:"knowledge,omitempty"`
	Params      []ParamDescription `json:"params"`
}

// ParamDescription describes one parameter.
type ParamDescription struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Default     any      `json:"default"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	List        bool     `json:"list,omitempty"` // comma-separated items, each from Enum
	Description string   `json:"description,omitempty"`
}

// Describe returns a manifest's description; scopes always start with "all".
func Describe(m Manifest) Description {
	out := Description{Name: m.Name, Team: m.Team, Description: m.Description, Schedule: m.Triggers.Schedule,
		Events: m.Triggers.Events, Knowledge: m.Knowledge, Scopes: append([]string{"all"}, m.Scopes...), Params: []ParamDescription{}}
	for _, k := range m.Actions {
		out.Actions = append(out.Actions, string(k))
	}
	for _, p := range m.Params {
		out.Params = append(out.Params, ParamDescription{Name: p.Name, Type: string(p.Type), Default: p.Default,
			Min: p.Min, Max: p.Max, Enum: p.Enum, List: p.List, Description: p.Description})
	}
	return out
}
