package segment

import (
	"fmt"
	"strings"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// comparisons maps CEL's comparison operators to SQL.
var comparisons = map[string]string{
	operators.Equals: "=", operators.NotEquals: "<>", operators.Less: "<",
	operators.LessEquals: "<=", operators.Greater: ">", operators.GreaterEquals: ">=",
}

// flipped is the operator with its sides swapped (3 < x is x > 3).
var flipped = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// cond writes a true/false expression.
func (c *compiler) cond(e celast.Expr) (string, error) {
	switch e.Kind() {
	case celast.LiteralKind:
		if b, ok := e.AsLiteral().(types.Bool); ok {
			if b {
				return "1 = 1", nil
			}
			return "1 = 0", nil
		}
	case celast.SelectKind:
		if s := e.AsSelect(); s.IsTestOnly() {
			return c.has(e, s)
		}
	case celast.ComprehensionKind:
		return c.records(e)
	case celast.CallKind:
		return c.call(e)
	}
	return "", c.errAt(e, "this part must be a condition (true or false), such as a comparison")
}

func (c *compiler) call(e celast.Expr) (string, error) {
	call := e.AsCall()
	fn, args := call.FunctionName(), call.Args()
	switch fn {
	case operators.LogicalAnd, operators.LogicalOr:
		// Under an AND whose other side filters on people or accounts,
		// event counts are taken per remaining person.
		outer := c.perPerson
		c.perPerson = outer || (fn == operators.LogicalAnd && !hasEventCount(args[1]))
		a, err := c.cond(args[0])
		c.perPerson = outer || (fn == operators.LogicalAnd && !hasEventCount(args[0]))
		if err != nil {
			c.perPerson = outer
			return "", err
		}
		b, err := c.cond(args[1])
		c.perPerson = outer
		if err != nil {
			return "", err
		}
		op := " AND "
		if fn == operators.LogicalOr {
			op = " OR "
		}
		return "(" + a + op + b + ")", nil
	case operators.LogicalNot:
		c.negated = !c.negated
		a, err := c.cond(args[0])
		c.negated = !c.negated
		if err != nil {
			return "", err
		}
		return "NOT (" + a + ")", nil
	case operators.In:
		return c.in(e, args[0], args[1])
	case "contains", "startsWith", "endsWith":
		return c.textTest(e, fn, call.Target(), args[0])
	case "owns":
		id, ok := stringLiteral(args[0])
		if !ok {
			return "", c.errAt(args[0], "account.owns needs a product id in quotes, like account.owns(\"prod-core\")")
		}
		c.q.UsesAccount = true
		return "EXISTS (SELECT 1 FROM holdings h WHERE h.account_id = a.id AND h.product_id = " + c.arg(id) + ")", nil
	}
	if op, ok := comparisons[fn]; ok {
		return c.compare(e, op, args[0], args[1])
	}
	return "", c.errAt(e, "%s cannot be used as a condition here", strings.Trim(fn, "_@"))
}

// compare writes a comparison; event counts and traits get their own
// forms.
func (c *compiler) compare(e celast.Expr, op string, l, r celast.Expr) (string, error) {
	if isEventCount(l) {
		return c.eventCount(e, l, op, r)
	}
	if isEventCount(r) {
		return c.eventCount(e, r, flipped[op], l)
	}
	lv, err := c.value(l)
	if err != nil {
		return "", err
	}
	rv, err := c.value(r)
	if err != nil {
		return "", err
	}
	if lv.kind == kindTrait && rv.kind == kindTrait {
		return "", c.errAt(e, "compare a trait with a value in quotes or a number, not with another trait")
	}
	if lv.kind == kindTrait {
		return c.traitCompare(e, lv, op, rv)
	}
	if rv.kind == kindTrait {
		return c.traitCompare(e, rv, flipped[op], lv)
	}
	if lv.kind != rv.kind {
		return "", c.errAt(e, "cannot compare %s with %s", lv.kind, rv.kind)
	}
	if op == "=" && lv.raw != "" && nonEmptyText(r) {
		return lv.raw + " = " + rv.sql, nil
	}
	if op == "=" && rv.raw != "" && nonEmptyText(l) {
		return lv.sql + " = " + rv.raw, nil
	}
	return lv.sql + " " + op + " " + rv.sql, nil
}

// traitCompare compares a custom column with a constant. A trait is text
// unless compared with a number, when only numeric values can match.
func (c *compiler) traitCompare(e celast.Expr, t val, op string, other val) (string, error) {
	switch other.kind {
	case kindText:
		return c.traitText(t) + " " + op + " " + other.sql, nil
	case kindNum:
		return c.traitNumber(t) + " " + op + " " + other.sql, nil
	}
	return "", c.errAt(e, "a trait can be compared with text or a number, not %s", other.kind)
}

// in writes x in [a, b, ...] with a list of constants.
func (c *compiler) in(e, x, list celast.Expr) (string, error) {
	if list.Kind() != celast.ListKind {
		return "", c.errAt(list, "`in` needs a list of values in square brackets, like [\"EMEA\", \"NA\"]")
	}
	xv, err := c.value(x)
	if err != nil {
		return "", err
	}
	elems := list.AsList().Elements()
	if len(elems) == 0 {
		return "1 = 0", nil
	}
	var parts []string
	kind := ""
	for _, el := range elems {
		v, err := c.value(el)
		if err != nil {
			return "", err
		}
		if v.kind == kindTrait || !v.constant {
			return "", c.errAt(el, "the list after `in` must hold values, not fields")
		}
		if kind != "" && kind != v.kind {
			return "", c.errAt(el, "the list after `in` mixes %s and %s", kind, v.kind)
		}
		kind = v.kind
		parts = append(parts, v.sql)
	}
	left := xv.sql
	if xv.kind == kindTrait {
		if kind == kindNum {
			left = c.traitNumber(xv)
		} else {
			left = c.traitText(xv)
		}
	} else if xv.kind != kind {
		return "", c.errAt(e, "cannot look for %s in a list of %s", xv.kind, kind)
	}
	return left + " IN (" + strings.Join(parts, ", ") + ")", nil
}

// textTest writes contains / startsWith / endsWith with a constant.
func (c *compiler) textTest(e celast.Expr, fn string, target, argExpr celast.Expr) (string, error) {
	tv, err := c.value(target)
	if err != nil {
		return "", err
	}
	s, ok := stringLiteral(argExpr)
	if !ok {
		return "", c.errAt(argExpr, "%s needs text in quotes", fn)
	}
	x := tv.sql
	if tv.kind == kindTrait {
		x = c.traitText(tv)
	}
	n := len([]rune(s))
	switch fn {
	case "contains":
		if c.d.Name == "postgres" {
			return "strpos(" + x + ", " + c.arg(s) + ") > 0", nil
		}
		return "instr(" + x + ", " + c.arg(s) + ") > 0", nil
	case "startsWith":
		return fmt.Sprintf("substr(%s, 1, %d) = %s", x, n, c.arg(s)), nil
	default:
		if c.d.Name == "postgres" {
			return fmt.Sprintf("right(%s, %d) = %s", x, n, c.arg(s)), nil
		}
		return fmt.Sprintf("substr(%s, %d) = %s", x, -n, c.arg(s)), nil
	}
}

// has writes has(person.traits.NAME): the custom column is present.
func (c *compiler) has(e celast.Expr, s celast.SelectExpr) (string, error) {
	v, err := c.traitOf(s.Operand(), s.FieldName())
	if err != nil {
		return "", c.errAt(e, "has() works on custom columns, like has(person.traits.plan)")
	}
	if c.d.Name == "postgres" {
		return "(" + v.sql + " -> " + c.arg(v.key) + ") IS NOT NULL", nil
	}
	return "json_type(" + v.sql + ", " + c.arg(jsonPath(v.key)) + ") IS NOT NULL", nil
}

// nonEmptyText reports whether e is a text literal other than "".
func nonEmptyText(e celast.Expr) bool {
	s, ok := stringLiteral(e)
	return ok && s != ""
}

func stringLiteral(e celast.Expr) (string, bool) {
	if e.Kind() != celast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}
