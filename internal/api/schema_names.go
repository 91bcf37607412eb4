package api

import (
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// schemaNamer names the document's schemas after their Go types, as huma
// does, but prefixes a type's package when another package already has a
// type of that name (proposal.Value and briefing.Value), where huma would
// refuse to start. The first type of a name keeps it, so names are stable
// as long as operations are registered in the same order.
func schemaNamer() func(reflect.Type, string) string {
	var mu sync.Mutex
	owner := map[string]reflect.Type{}
	return func(t reflect.Type, hint string) string {
		name := huma.DefaultSchemaNamer(t, hint)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Name() == "" {
			return name
		}
		mu.Lock()
		defer mu.Unlock()
		if prev, ok := owner[name]; ok && prev != t {
			pkg := path.Base(t.PkgPath())
			name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
		}
		owner[name] = t
		return name
	}
}
