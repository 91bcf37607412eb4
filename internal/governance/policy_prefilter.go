package governance

import (
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// prefilter finds, from a rule's checked condition, the action kinds it
// can match at all, so Decide skips rules written for other kinds without
// running them. restricted is false when the rule may match any kind.
//
// The result is exact, not a guess: a sub-expression is "restricted to S"
// when, for an action whose kind is not in S, it is certainly false (and
// never an error). action.kind == "x" and action.kind in ["x", "y"] are
// restricted to their constants; a && b is restricted when either side is
// (false && anything is false in CEL, even an error); a || b when both
// are. Anything else is unrestricted. Skipping a rule whose whole
// condition is restricted to kinds other than the action's therefore gives
// the same decision as running it.
func prefilter(a *ast.AST) (kinds []string, restricted bool) {
	return ruleKinds(a, a.Expr())
}

func ruleKinds(a *ast.AST, e ast.Expr) ([]string, bool) {
	if e.Kind() != ast.CallKind {
		return nil, false
	}
	call := e.AsCall()
	args := call.Args()
	switch call.FunctionName() {
	case operators.LogicalAnd:
		l, lok := ruleKinds(a, args[0])
		r, rok := ruleKinds(a, args[1])
		switch {
		case lok && rok:
			return kindIntersect(l, r), true
		case lok:
			return l, true
		case rok:
			return r, true
		}
	case operators.LogicalOr:
		l, lok := ruleKinds(a, args[0])
		r, rok := ruleKinds(a, args[1])
		if lok && rok {
			return kindUnion(l, r), true
		}
	case operators.Equals:
		if isActionKind(a, args[0]) {
			if s, ok := constString(args[1]); ok {
				return []string{s}, true
			}
		}
		if isActionKind(a, args[1]) {
			if s, ok := constString(args[0]); ok {
				return []string{s}, true
			}
		}
	case operators.In:
		if isActionKind(a, args[0]) && args[1].Kind() == ast.ListKind {
			var out []string
			for _, el := range args[1].AsList().Elements() {
				s, ok := constString(el)
				if !ok {
					return nil, false
				}
				out = kindUnion(out, []string{s})
			}
			return out, true
		}
	}
	return nil, false
}

// isActionKind reports whether e reads the action.kind variable.
func isActionKind(a *ast.AST, e ast.Expr) bool {
	if ref, ok := a.ReferenceMap()[e.ID()]; ok && ref.Value == nil {
		return ref.Name == "action.kind"
	}
	switch e.Kind() {
	case ast.IdentKind:
		return e.AsIdent() == "action.kind"
	case ast.SelectKind:
		s := e.AsSelect()
		return !s.IsTestOnly() && s.FieldName() == "kind" && s.Operand().Kind() == ast.IdentKind && s.Operand().AsIdent() == "action"
	}
	return false
}

func constString(e ast.Expr) (string, bool) {
	if e.Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}

func kindIntersect(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if hasString(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func kindUnion(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		if !hasString(out, x) {
			out = append(out, x)
		}
	}
	return out
}
