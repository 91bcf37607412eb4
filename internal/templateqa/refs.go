package templateqa

import "strings"

// ref is one variable reference in a part.
type ref struct {
	Path       string   // as written in the part, e.g. "custom_attribute.${company_name}"
	Segs       []string // the path as the renderer sees it (Braze ${x} rewritten)
	Start, End int      // bytes of Path in the part
	Printed    bool     // its value is written into the e-mail
	Fallback   bool     // a default is given (Liquid default filter, defaultIfEmpty)
	// DefStart/DefEnd span a Liquid "| default: x" filter, for HubSpot's
	// no-op rule; equal when there is none.
	DefStart, DefEnd int
	Guarded          bool // inside a block that tests the same path
	Tag              tag  // the tag it is in
	Helper           string
	Field            string // canonical foundation field; "" for system variables
	System           bool
}

type frame struct {
	name   string
	guards map[string]bool
	scope  bool // Handlebars each/with: paths inside are relative
}

func guarded(stack []frame, path string) bool {
	for _, f := range stack {
		if f.guards[path] {
			return true
		}
	}
	return false
}

func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "@root.")
	for strings.HasPrefix(p, "../") {
		p = p[3:]
	}
	return strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '/' })
}

// liquidRefs lists the variable references of a Liquid part. orig is the
// part as written, src the same text with Braze's ${x} rewritten.
func liquidRefs(orig, src string, tags []tag) []ref {
	var out []ref
	locals := map[string]bool{"forloop": true, "tablerowloop": true}
	var stack []frame
	add := func(tk exprTok, t tag, printed bool) *ref {
		segs := splitPath(tk.Text)
		if len(segs) == 0 || locals[segs[0]] || liquidWords[tk.Text] {
			return nil
		}
		out = append(out, ref{Path: orig[tk.Start:tk.End], Segs: segs, Start: tk.Start, End: tk.End,
			Printed: printed, Tag: t, Guarded: guarded(stack, tk.Text), DefStart: tk.Start, DefEnd: tk.Start})
		return &out[len(out)-1]
	}
	paths := func(toks []exprTok, t tag) {
		for _, tk := range toks {
			if tk.Kind == 'p' {
				add(tk, t, false)
			}
		}
	}
	for _, t := range tags {
		if t.Comment {
			continue
		}
		in := strings.TrimSpace(src[t.InStart:t.InEnd])
		if t.Output && (in == "else" || in != "" && strings.ContainsRune("#/^!>", rune(in[0]))) {
			continue // Handlebars pasted in: reported as foreign syntax, not as fields
		}
		toks := lexExpr(src[t.InStart:t.InEnd], t.InStart)
		if t.Output {
			liquidOutput(toks, t, add)
			continue
		}
		if len(toks) == 0 {
			continue
		}
		args := toks[1:]
		switch name := t.Name; {
		case name == "if" || name == "unless" || name == "case":
			g := map[string]bool{}
			if name == "if" {
				for _, tk := range args {
					if tk.Kind == 'p' {
						g[tk.Text] = true
					}
				}
			}
			paths(args, t)
			stack = append(stack, frame{name: name, guards: g})
		case name == "elsif" || name == "elif" || name == "when":
			paths(args, t)
			if len(stack) > 0 {
				g := map[string]bool{}
				for _, tk := range args {
					if tk.Kind == 'p' && name != "when" {
						g[tk.Text] = true
					}
				}
				stack[len(stack)-1].guards = g
			}
		case name == "else":
			if len(stack) > 0 {
				stack[len(stack)-1].guards = nil
			}
		case name == "for" || name == "tablerow":
			if len(args) > 0 && args[0].Kind == 'p' {
				locals[args[0].Text] = true
				paths(args[1:], t)
			}
			stack = append(stack, frame{name: name})
		case name == "assign" || name == "set":
			if len(args) > 0 && args[0].Kind == 'p' {
				locals[args[0].Text] = true
				liquidFilterArgs(args[1:], t, add)
			}
		case name == "capture" || name == "increment" || name == "decrement":
			if len(args) > 0 && args[0].Kind == 'p' {
				locals[args[0].Text] = true
			}
			if name == "capture" {
				stack = append(stack, frame{name: name})
			}
		case name == "connected_content":
			for i, tk := range args {
				if tk.Text == "save" && i+1 < len(args) {
					locals[args[i+1].Text] = true
				}
			}
		case strings.HasPrefix(name, "end"):
			for i := len(stack) - 1; i >= 0; i-- {
				if "end"+stack[i].name == name {
					stack = stack[:i]
					break
				}
			}
		}
	}
	return out
}

// liquidOutput reads {{ value | filter: arg, arg | … }}: the value is
// printed; a default filter is its fallback.
func liquidOutput(toks []exprTok, t tag, add func(exprTok, tag, bool) *ref) {
	var first []*ref
	i := 0
	for ; i < len(toks) && toks[i].Text != "|"; i++ {
		if toks[i].Kind == 'p' {
			if r := add(toks[i], t, true); r != nil {
				first = append(first, r)
			}
		}
	}
	for i < len(toks) {
		// toks[i] is "|"; the filter name follows.
		pipe := i
		i++
		if i >= len(toks) {
			break
		}
		name := toks[i].Text
		i++
		end := toks[i-1].End
		for ; i < len(toks) && toks[i].Text != "|"; i++ {
			if toks[i].Kind == 'p' && !(i+1 < len(toks) && toks[i+1].Text == ":") {
				add(toks[i], t, false)
			}
			end = toks[i].End
		}
		if name == "default" {
			for _, r := range first {
				r.Fallback, r.DefStart, r.DefEnd = true, toks[pipe].Start, end
			}
		}
	}
}

func liquidFilterArgs(toks []exprTok, t tag, add func(exprTok, tag, bool) *ref) {
	for i, tk := range toks {
		if tk.Kind == 'p' && !(i > 0 && toks[i-1].Text == "|") && !(i+1 < len(toks) && toks[i+1].Text == ":") {
			add(tk, t, false)
		}
	}
}

// hbsWords are Handlebars literals and context words, never fields.
var hbsWords = map[string]bool{"true": true, "false": true, "null": true, "undefined": true, "this": true, "else": true, "as": true}

// handlebarsRefs lists the variable references of a Handlebars part.
func handlebarsRefs(src string, tags []tag) []ref {
	var out []ref
	var stack []frame
	locals := map[string]bool{}
	inScope := func() bool {
		for _, f := range stack {
			if f.scope {
				return true
			}
		}
		return false
	}
	add := func(tk exprTok, t tag, printed bool, helper string) *ref {
		p := tk.Text
		if hbsWords[p] || strings.HasPrefix(p, "this.") || strings.HasPrefix(p, "this/") {
			return nil
		}
		if strings.HasPrefix(p, "@") && !strings.HasPrefix(p, "@root.") {
			return nil
		}
		rooted := strings.HasPrefix(p, "../") || strings.HasPrefix(p, "@root.")
		segs := splitPath(p)
		if len(segs) == 0 || locals[segs[0]] || inScope() && !rooted {
			return nil
		}
		out = append(out, ref{Path: p, Segs: segs, Start: tk.Start, End: tk.End, Printed: printed, Tag: t,
			Guarded: guarded(stack, strings.Join(segs, ".")), Helper: helper, DefStart: tk.Start, DefEnd: tk.Start})
		return &out[len(out)-1]
	}
	// args adds the paths among toks: a path right after "(" names a
	// helper; a path before "=" is a hash key; "as |x|" names locals.
	args := func(toks []exprTok, t tag, printed bool, helper string) []*ref {
		var rs []*ref
		for i, tk := range toks {
			if tk.Kind != 'p' {
				continue
			}
			if i > 0 && toks[i-1].Text == "(" || i+1 < len(toks) && toks[i+1].Text == "=" {
				continue
			}
			if i > 0 && toks[i-1].Text == "|" {
				locals[tk.Text] = true
				continue
			}
			if r := add(tk, t, printed, helper); r != nil {
				rs = append(rs, r)
			}
		}
		return rs
	}
	for _, t := range tags {
		if t.Comment || t.Name == ">" {
			continue
		}
		toks := lexExpr(src[t.InStart:t.InEnd], t.InStart)
		switch {
		case t.Open:
			if len(toks) == 0 {
				continue
			}
			rest := toks[1:]
			args(rest, t, false, t.Name)
			f := frame{name: t.Name, scope: t.Name == "each" || t.Name == "with"}
			if t.Name == "if" {
				f.guards = map[string]bool{}
				for _, tk := range rest {
					if tk.Kind == 'p' {
						f.guards[strings.Join(splitPath(tk.Text), ".")] = true
					}
				}
			}
			stack = append(stack, f)
		case t.Close:
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name == t.Name {
					stack = stack[:i]
					break
				}
			}
		case t.Else:
			if len(stack) > 0 {
				stack[len(stack)-1].guards = nil
			}
		case t.Output:
			if len(toks) == 0 {
				continue
			}
			if len(toks) == 1 {
				args(toks, t, true, "")
				continue
			}
			helper := toks[0].Text
			rs := args(toks[1:], t, true, helper)
			if helper == "defaultIfEmpty" && len(rs) > 0 && rs[0].Start == toks[1].Start {
				rs[0].Fallback = true
			}
		}
	}
	return out
}
