package segment

import (
	"strings"

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

// eventCount writes events.count(NAME[, days(N)]) OP K. Alone, it is a
// set test on the events table grouped per person, so the database
// answers it with one pass over the event's index; when a person with no
// such events meets the condition (count < 2, == 0) it is written as NOT
// IN the people who fail it. Next to conditions that filter people first
// (perPerson), it is a count per remaining person on the (person, time)
// index, which is far cheaper than grouping every such event.
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
	filter := "e.event = " + c.arg(name) + " AND e.timestamp <= " + c.arg(c.now)
	if len(args) == 2 {
		d, err := c.durationConst(args[1])
		if err != nil {
			return "", err
		}
		filter += " AND e.timestamp > " + c.arg(c.now.Add(-d))
		c.q.TimeDependent = true
		// Counts in a window only fall as time passes; a condition that a
		// falling count can make true lets the clock add members.
		if c.negated || (op != ">" && op != ">=") {
			c.q.GrowsWithTime = true
		}
	}
	if c.perPerson {
		from := "events e"
		if c.d.Name == "sqlite" {
			// Without table statistics SQLite may pick the (event, time)
			// index for a per-person count and scan every such event for
			// each person; name the (person, time) index it must use.
			from = "events e INDEXED BY events_person_timestamp"
		}
		return "(SELECT count(*) FROM " + from + " WHERE e.person_id = p.id AND " + filter + accountAnchor + ") " + op + " " + c.arg(k), nil
	}
	sub := "SELECT e.person_id FROM events e WHERE e.person_id IS NOT NULL AND " + filter
	having := "count(*) " + op + " " + c.arg(k)
	if compareInts(0, op, k) {
		return "p.id NOT IN (" + sub + " GROUP BY e.person_id HAVING NOT (" + having + "))", nil
	}
	return "p.id IN (" + sub + " GROUP BY e.person_id HAVING " + having + ")", nil
}

// accountAnchor marks where a per-person count may name the account. When
// the rule joins accounts, PostgreSQL is given a condition on a that is
// always true, so it counts events only for people whose account already
// passed the account filters, instead of counting first for everyone.
const accountAnchor = "/*account*/"

// anchor settles accountAnchor in the finished condition.
func (c *compiler) anchor(where string) string {
	with := ""
	if c.d.Name == "postgres" && c.q.UsesAccount {
		with = " AND (a.id IS NULL OR a.id IS NOT NULL)"
	}
	return strings.ReplaceAll(where, accountAnchor, with)
}

// hasEventCount reports whether e counts events anywhere inside.
func hasEventCount(e celast.Expr) bool {
	if isEventCount(e) {
		return true
	}
	switch e.Kind() {
	case celast.CallKind:
		call := e.AsCall()
		if call.Target() != nil && hasEventCount(call.Target()) {
			return true
		}
		for _, a := range call.Args() {
			if hasEventCount(a) {
				return true
			}
		}
	case celast.ComprehensionKind:
		return hasEventCount(e.AsComprehension().LoopStep())
	}
	return false
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
