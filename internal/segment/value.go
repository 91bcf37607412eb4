package segment

import (
	"fmt"
	"regexp"
	"time"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// Kinds of values in SQL.
const (
	kindText  = "text"
	kindNum   = "a number"
	kindTime  = "a time"
	kindTrait = "a custom column"
)

// val is a value written as SQL. Traits keep their column and key, so the
// comparison decides whether to read them as text or as a number.
type val struct {
	sql      string
	kind     string
	constant bool
	key      string // traits only
	// raw is the account column without COALESCE. Compared for equality
	// with non-empty text it gives the same answer and lets the database
	// turn the account join into an inner join and filter accounts first.
	raw string
}

var (
	personColumns = map[string]val{
		"email": {sql: "p.email", kind: kindText}, "first_name": {sql: "p.first_name", kind: kindText},
		"last_name": {sql: "p.last_name", kind: kindText}, "title": {sql: "p.title", kind: kindText},
		"phone": {sql: "p.phone", kind: kindText}, "country": {sql: "p.country", kind: kindText},
		"region": {sql: "p.region", kind: kindText}, "account_id": {sql: "COALESCE(p.account_id, '')", kind: kindText},
		"created_at": {sql: "p.created_at", kind: kindTime},
	}
	recordColumns = map[string]val{
		"system": {sql: "r.system", kind: kindText}, "system_id": {sql: "r.system_id", kind: kindText},
		"email": {sql: "r.email", kind: kindText}, "first_name": {sql: "r.first_name", kind: kindText},
		"last_name": {sql: "r.last_name", kind: kindText}, "title": {sql: "r.title", kind: kindText},
		"phone": {sql: "r.phone", kind: kindText}, "country": {sql: "r.country", kind: kindText},
		"region": {sql: "r.region", kind: kindText}, "account_id": {sql: "COALESCE(r.account_id, '')", kind: kindText},
	}
	accountColumns = map[string]val{
		"id": {sql: "COALESCE(a.id, '')", kind: kindText, raw: "a.id"}, "name": {sql: "COALESCE(a.name, '')", kind: kindText, raw: "a.name"},
		"domain": {sql: "COALESCE(a.domain, '')", kind: kindText, raw: "a.domain"}, "industry": {sql: "COALESCE(a.industry, '')", kind: kindText, raw: "a.industry"},
		"region": {sql: "COALESCE(a.region, '')", kind: kindText, raw: "a.region"}, "tier": {sql: "COALESCE(a.tier, '')", kind: kindText, raw: "a.tier"},
		"lifecycle_stage": {sql: "COALESCE(a.lifecycle_stage, '')", kind: kindText, raw: "a.lifecycle_stage"},
		"owner_id":        {sql: "COALESCE(a.owner_id, '')", kind: kindText, raw: "a.owner_id"},
		"employees":       {sql: "COALESCE(a.employees, 0)", kind: kindNum},
	}
)

// value writes a non-boolean expression.
func (c *compiler) value(e celast.Expr) (val, error) {
	switch e.Kind() {
	case celast.LiteralKind:
		switch v := e.AsLiteral().(type) {
		case types.String:
			return val{sql: c.arg(string(v)), kind: kindText, constant: true}, nil
		case types.Int:
			return val{sql: c.arg(int64(v)), kind: kindNum, constant: true}, nil
		case types.Uint:
			return val{sql: c.arg(int64(v)), kind: kindNum, constant: true}, nil
		case types.Double:
			return val{sql: c.arg(float64(v)), kind: kindNum, constant: true}, nil
		}
		return val{}, c.errAt(e, "only text, numbers and times can be compared")
	case celast.IdentKind:
		if e.AsIdent() == "now" {
			c.q.TimeDependent, c.q.GrowsWithTime = true, true
			return val{sql: c.arg(c.now), kind: kindTime, constant: true}, nil
		}
		return val{}, c.errAt(e, "name a field, like %s.title", e.AsIdent())
	case celast.SelectKind:
		s := e.AsSelect()
		return c.field(e, s.Operand(), s.FieldName())
	case celast.CallKind:
		return c.callValue(e)
	}
	return val{}, c.errAt(e, "this kind of expression is not supported in segments")
}

// field writes person.X, account.X, r.X or a trait.
func (c *compiler) field(e, operand celast.Expr, name string) (val, error) {
	if operand.Kind() == celast.IdentKind {
		var cols map[string]val
		switch id := operand.AsIdent(); {
		case id == "person":
			cols = personColumns
		case id == "account":
			cols, c.q.UsesAccount = accountColumns, true
		case id == "traits":
			return c.trait("p.traits", name, e)
		case c.recordVar != "" && id == c.recordVar:
			cols = recordColumns
		}
		if v, ok := cols[name]; ok {
			return v, nil
		}
	}
	if v, err := c.traitOf(operand, name); err == nil {
		return v, nil
	}
	return val{}, c.errAt(e, "%s cannot be used in a segment", name)
}

// traitOf resolves X.traits.NAME.
func (c *compiler) traitOf(operand celast.Expr, name string) (val, error) {
	if operand.Kind() == celast.IdentKind && operand.AsIdent() == "traits" {
		return c.trait("p.traits", name, operand)
	}
	if operand.Kind() != celast.SelectKind || operand.AsSelect().FieldName() != "traits" {
		return val{}, fmt.Errorf("not a trait")
	}
	owner := operand.AsSelect().Operand()
	if owner.Kind() != celast.IdentKind {
		return val{}, fmt.Errorf("not a trait")
	}
	switch id := owner.AsIdent(); {
	case id == "person":
		return c.trait("p.traits", name, operand)
	case id == "account":
		c.q.UsesAccount = true
		return c.trait("a.traits", name, operand)
	case c.recordVar != "" && id == c.recordVar:
		return c.trait("r.traits", name, operand)
	}
	return val{}, fmt.Errorf("not a trait")
}

// traitName limits custom column names to what imports produce, so a name
// is safe inside a JSON path.
var traitName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_ -]{0,63}$`)

func (c *compiler) trait(col, name string, e celast.Expr) (val, error) {
	if !traitName.MatchString(name) {
		return val{}, c.errAt(e, "%q is not a custom column name (letters, digits, _ and -)", name)
	}
	return val{sql: col, kind: kindTrait, key: name}, nil
}

func jsonPath(key string) string { return `$."` + key + `"` }

// traitText reads a trait as text ("" never matches a missing trait).
func (c *compiler) traitText(t val) string {
	if c.d.Name == "postgres" {
		return "(" + t.sql + " ->> " + c.arg(t.key) + ")"
	}
	return "CAST(json_extract(" + t.sql + ", " + c.arg(jsonPath(t.key)) + ") AS TEXT)"
}

// traitNumber reads a trait as a number when it is one (or text that
// is a plain number); anything else is NULL and matches nothing.
func (c *compiler) traitNumber(t val) string {
	if c.d.Name == "postgres" {
		k := func() string { return c.arg(t.key) }
		return fmt.Sprintf(`(CASE WHEN jsonb_typeof(%[1]s -> %[2]s) = 'number' THEN (%[1]s ->> %[3]s)::float8 `+
			`WHEN (%[1]s ->> %[4]s) ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN (%[1]s ->> %[5]s)::float8 END)`,
			t.sql, k(), k(), k(), k())
	}
	p := func() string { return c.arg(jsonPath(t.key)) }
	return fmt.Sprintf(`(CASE WHEN json_type(%[1]s, %[2]s) IN ('integer', 'real') THEN json_extract(%[1]s, %[3]s) `+
		`WHEN json_type(%[1]s, %[4]s) = 'text' AND trim(json_extract(%[1]s, %[5]s)) <> '' `+
		`AND trim(json_extract(%[1]s, %[6]s)) NOT GLOB '*[^0-9.eE+-]*' THEN CAST(json_extract(%[1]s, %[7]s) AS REAL) END)`,
		t.sql, p(), p(), p(), p(), p(), p())
}

// callValue writes lowerAscii(), timestamp(), now - days(N) and negative
// numbers.
func (c *compiler) callValue(e celast.Expr) (val, error) {
	call := e.AsCall()
	switch call.FunctionName() {
	case "lowerAscii":
		v, err := c.value(call.Target())
		if err != nil {
			return val{}, err
		}
		if v.kind == kindTrait {
			return val{sql: "lower(" + c.traitText(v) + ")", kind: kindText}, nil
		}
		return val{sql: "lower(" + v.sql + ")", kind: kindText}, nil
	case "timestamp", operators.Subtract, operators.Add:
		t, err := c.timeConst(e)
		if err != nil {
			return val{}, err
		}
		return val{sql: c.arg(t), kind: kindTime, constant: true}, nil
	case operators.Negate:
		if a := call.Args()[0]; a.Kind() == celast.LiteralKind {
			switch v := a.AsLiteral().(type) {
			case types.Int:
				return val{sql: c.arg(-int64(v)), kind: kindNum, constant: true}, nil
			case types.Double:
				return val{sql: c.arg(-float64(v)), kind: kindNum, constant: true}, nil
			}
		}
	}
	return val{}, c.errAt(e, "%s is not supported in segments", call.FunctionName())
}

// timeConst folds timestamp("..."), now and now ± days(N) to one time.
func (c *compiler) timeConst(e celast.Expr) (time.Time, error) {
	switch e.Kind() {
	case celast.IdentKind:
		if e.AsIdent() == "now" {
			c.q.TimeDependent, c.q.GrowsWithTime = true, true
			return c.now, nil
		}
	case celast.CallKind:
		call := e.AsCall()
		args := call.Args()
		switch call.FunctionName() {
		case "timestamp":
			s, ok := stringLiteral(args[0])
			if !ok {
				break
			}
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return time.Time{}, c.errAt(e, "%q is not a time; write it like \"2026-01-31T00:00:00Z\"", s)
			}
			return t.UTC(), nil
		case operators.Subtract, operators.Add:
			t, err := c.timeConst(args[0])
			if err != nil {
				return time.Time{}, err
			}
			d, err := c.durationConst(args[1])
			if err != nil {
				return time.Time{}, err
			}
			if call.FunctionName() == operators.Subtract {
				d = -d
			}
			return t.Add(d), nil
		}
	}
	return time.Time{}, c.errAt(e, "write times as now, now - days(N) or timestamp(\"2026-01-31T00:00:00Z\")")
}

// durationConst reads days(N).
func (c *compiler) durationConst(e celast.Expr) (time.Duration, error) {
	if e.Kind() == celast.CallKind && e.AsCall().FunctionName() == "days" {
		if a := e.AsCall().Args()[0]; a.Kind() == celast.LiteralKind {
			if n, ok := a.AsLiteral().(types.Int); ok && n >= 0 && n <= 36500 {
				return time.Duration(n) * 24 * time.Hour, nil
			}
		}
	}
	return 0, c.errAt(e, "write a period as days(N), with N a whole number from 0 to 36500")
}
