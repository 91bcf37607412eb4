package segment

import (
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
)

// records writes records.exists(r, ...) and records.all(r, ...) from the
// loop CEL expands the macro into.
func (c *compiler) records(e celast.Expr) (string, error) {
	comp := e.AsComprehension()
	rng := comp.IterRange()
	if rng.Kind() != celast.IdentKind || rng.AsIdent() != "records" {
		return "", c.errAt(e, "only records.exists(r, ...) and records.all(r, ...) loop over a list in segments")
	}
	if c.recordVar != "" {
		return "", c.errAt(e, "records.exists cannot be nested")
	}
	step := comp.LoopStep()
	if step.Kind() != celast.CallKind {
		return "", c.errAt(e, "use records.exists(r, ...) or records.all(r, ...)")
	}
	call := step.AsCall()
	args := call.Args()
	if len(args) != 2 || args[0].Kind() != celast.IdentKind || args[0].AsIdent() != comp.AccuVar() {
		return "", c.errAt(e, "use records.exists(r, ...) or records.all(r, ...)")
	}
	c.recordVar = comp.IterVar()
	pred, err := c.cond(args[1])
	c.recordVar = ""
	if err != nil {
		return "", err
	}
	switch call.FunctionName() {
	case operators.LogicalOr:
		return "EXISTS (SELECT 1 FROM records r WHERE r.person_id = p.id AND " + pred + ")", nil
	case operators.LogicalAnd:
		return "NOT EXISTS (SELECT 1 FROM records r WHERE r.person_id = p.id AND NOT (" + pred + "))", nil
	}
	return "", c.errAt(e, "use records.exists(r, ...) or records.all(r, ...)")
}
