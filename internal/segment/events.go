package segment

import (
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// isEventCount reports whether e is events.count(...).
func isEventCount(e celast.Expr) bool {
	if e.Kind() != celast.CallKind {
		return false
	}
	call := e.AsCall()
	t := call.Target()
	return call.FunctionName() == "count" && t != nil && t.Kind() == celast.IdentKind && t.AsIdent() == "events"
}

// eventCount writes events.count(NAME[, days(N)]) OP K as a set test on
// the events table, grouped per person, so the database answers it with
// one pass over the event's index instead of a count per person. When a
// person with no such events meets the condition (count < 2, == 0) the
// test is written as NOT IN the people who fail it.
func (c *compiler) eventCount(e, count celast.Expr, op string, other celast.Expr) (string, error) {
	args := count.AsCall().Args()
	name, ok := stringLiteral(args[0])
	if !ok || name == "" {
		return "", c.errAt(args[0], "events.count needs the event name in quotes, like events.count(\"Pricing Viewed\")")
	}
	k, ok := intConst(other)
	if !ok {
		return "", c.errAt(other, "compare events.count(...) with a whole number, like >= 2")
	}
	sub := "SELECT e.person_id FROM events e WHERE e.person_id IS NOT NULL AND e.event = " + c.arg(name) +
		" AND e.timestamp <= " + c.arg(c.now)
	if len(args) == 2 {
		d, err := c.durationConst(args[1])
		if err != nil {
			return "", err
		}
		sub += " AND e.timestamp > " + c.arg(c.now.Add(-d))
		c.q.TimeDependent = true
		// Counts in a window only fall as time passes; a condition that a
		// falling count can make true lets the clock add members.
		if c.negated || (op != ">" && op != ">=") {
			c.q.GrowsWithTime = true
		}
	}
	having := "count(*) " + op + " " + c.arg(k)
	if compareInts(0, op, k) {
		return "p.id NOT IN (" + sub + " GROUP BY e.person_id HAVING NOT (" + having + "))", nil
	}
	return "p.id IN (" + sub + " GROUP BY e.person_id HAVING " + having + ")", nil
}

func intConst(e celast.Expr) (int64, bool) {
	if e.Kind() != celast.LiteralKind {
		return 0, false
	}
	switch v := e.AsLiteral().(type) {
	case types.Int:
		return int64(v), true
	case types.Uint:
		return int64(v), true
	}
	return 0, false
}

func compareInts(a int64, op string, b int64) bool {
	switch op {
	case "=":
		return a == b
	case "<>":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	}
	return a >= b
}
