package segment

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
)

// Dialect says how a backend writes what differs between SQL engines.
type Dialect struct {
	Name string // "sqlite" or "postgres"
	// Bind writes the placeholder of the n-th argument (1-based).
	Bind func(n int) string
	// Time encodes a time argument as the backend stores times.
	Time func(time.Time) any
}

// Query is a compiled rule: a condition on people p (joined to their
// account a when UsesAccount) with its arguments.
type Query struct {
	Where       string
	Args        []any
	UsesAccount bool
	// TimeDependent: the rule's answer changes with the clock alone
	// (event windows, now), so an incremental refresh must re-check the
	// current members too.
	TimeDependent bool
	// GrowsWithTime: the clock alone can also ADD members (e.g. "fewer
	// than 2 visits in 30 days"), so only a full refresh is exact.
	GrowsWithTime bool
}

// From is the FROM clause the condition is written against.
func (q *Query) From() string {
	if q.UsesAccount {
		return "people p LEFT JOIN accounts a ON a.id = p.account_id"
	}
	return "people p"
}

// Error is a rule that does not parse, type-check or compile, with the
// place in the rule it concerns.
type Error struct {
	Line, Column int // 1-based; 0 when unknown
	Reason       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("rule line %d, column %d: %s", e.Line, e.Column, e.Reason)
	}
	return "rule: " + e.Reason
}

// ErrRule is wrapped by every rule error, so callers can tell a bad rule
// from a database failure.
var ErrRule = errors.New("segment rule")

// Check parses and type-checks a rule, and makes sure it compiles.
func Check(rule string) error {
	_, err := Compile(rule, Dialect{Name: "sqlite", Bind: func(int) string { return "?" }, Time: func(t time.Time) any { return t }}, time.Now(), 0)
	return err
}

// Compile checks rule and writes it as SQL for d, as of now. prior is how
// many arguments come before the rule's in the final statement (their
// placeholders are numbered first).
func Compile(rule string, d Dialect, now time.Time, prior int) (*Query, error) {
	return compile(rule, d, now, prior, false)
}

// CompileFew is Compile for a statement that looks at a few people only
// (an incremental refresh): event counts are then always counted per
// person through the (person, time) index, never as a whole-table pass.
func CompileFew(rule string, d Dialect, now time.Time, prior int) (*Query, error) {
	return compile(rule, d, now, prior, true)
}

func compile(rule string, d Dialect, now time.Time, prior int, few bool) (*Query, error) {
	if strings.TrimSpace(rule) == "" {
		return nil, fmt.Errorf("%w: %w", ErrRule, &Error{Reason: "the rule is empty"})
	}
	e, err := env()
	if err != nil {
		return nil, fmt.Errorf("segment language: %w", err)
	}
	checked, iss := e.Compile(rule)
	if iss != nil && iss.Err() != nil {
		return nil, fmt.Errorf("%w: %w", ErrRule, issueError(iss))
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		return nil, fmt.Errorf("%w: %w", ErrRule, &Error{Reason: fmt.Sprintf("a rule must be true or false for each person; this one gives %s", typeName(checked.OutputType()))})
	}
	c := &compiler{d: d, now: now.UTC(), prior: prior, ast: checked.NativeRep(), q: &Query{}, perPerson: few}
	where, err := c.cond(c.ast.Expr())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRule, err)
	}
	c.q.Where = c.anchor(where)
	return c.q, nil
}

// issueError turns CEL's first issue into an Error with its position.
func issueError(iss *cel.Issues) *Error {
	errs := iss.Errors()
	if len(errs) == 0 {
		return &Error{Reason: iss.String()}
	}
	first := errs[0]
	msg := first.Message
	msg = strings.ReplaceAll(msg, "segment.personType", "person")
	msg = strings.ReplaceAll(msg, "segment.accountType", "account")
	msg = strings.ReplaceAll(msg, "segment.recordType", "record")
	msg = strings.ReplaceAll(msg, "segment.eventsType", "events")
	return &Error{Line: first.Location.Line(), Column: first.Location.Column() + 1, Reason: msg}
}

func typeName(t *cel.Type) string {
	switch {
	case t.IsExactType(cel.StringType):
		return "text"
	case t.IsExactType(cel.IntType), t.IsExactType(cel.DoubleType), t.IsExactType(cel.UintType):
		return "a number"
	case t.IsExactType(cel.TimestampType):
		return "a time"
	}
	return t.String()
}

// compiler walks a checked rule and writes SQL.
type compiler struct {
	d     Dialect
	now   time.Time
	prior int
	ast   *celast.AST
	q     *Query
	// negated is true inside an odd number of NOTs, for the
	// GrowsWithTime analysis.
	negated bool
	// recordVar is the iteration variable inside records.exists.
	recordVar string
	// perPerson: count events per person (a correlated subquery on the
	// (person, time) index) rather than as one grouped pass over the
	// event. It is right when few people reach the count: an incremental
	// refresh, or a count ANDed with conditions on the person or account,
	// which filter first.
	perPerson bool
}

// arg adds an argument and returns its placeholder.
func (c *compiler) arg(v any) string {
	if t, ok := v.(time.Time); ok {
		v = c.d.Time(t)
	}
	c.q.Args = append(c.q.Args, v)
	return c.d.Bind(c.prior + len(c.q.Args))
}

// errAt is an Error placed at expression e.
func (c *compiler) errAt(e celast.Expr, format string, a ...any) error {
	err := &Error{Reason: fmt.Sprintf(format, a...)}
	if loc := c.ast.SourceInfo().GetStartLocation(e.ID()); loc.Line() > 0 {
		err.Line, err.Column = loc.Line(), loc.Column()+1
	}
	return err
}
