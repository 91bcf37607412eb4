package foundation

// Traits holds the columns a source sends that Tower has no field for.
// They are kept rather than dropped, so a team's own attributes (lead
// score, plan, industry sub-vertical) stay usable in segments. Values are
// strings when they came from CSV and any JSON value when they came from
// events.
type Traits map[string]any
