package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/towerops/tower/internal/governance"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplate is the layout plus one page's templates.
type pageTemplate struct{ t *template.Template }

// view is what every page template receives. Data is the page's own.
type view struct {
	Title string
	// Nav names the navigation entry to mark as current ("inbox",
	// "proposals", "agents", "policies", "audit", "people", "accounts",
	// "briefing", "scorecards", "value").
	Nav     string
	Session *session
	CSRF    string
	// Execution is the kill switch, shown on every page.
	Execution governance.PauseState
	// Flash is a one-line message after an action ("Approved p_…").
	Flash   string
	Version string
	Data    any
}

// parsePages parses layout.html and the partials (files named _*.html)
// once, then each page file (NAME.html, defining "content") over a clone,
// so pages cannot overwrite each other's blocks.
func parsePages() (map[string]*pageTemplate, error) {
	base := template.New("layout.html").Funcs(funcs())
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" || strings.HasPrefix(name, "_") {
			shared = append(shared, f)
		} else {
			pages = append(pages, f)
		}
	}
	if base, err = base.ParseFS(templateFS, shared...); err != nil {
		return nil, fmt.Errorf("console templates: %w", err)
	}
	out := map[string]*pageTemplate{}
	for _, f := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("console template %s: %w", f, err)
		}
		out[strings.TrimSuffix(path.Base(f), ".html")] = &pageTemplate{t: t}
	}
	return out, nil
}

// render writes page name (templates/NAME.html) inside the layout with
// status. The page is rendered into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	pt, ok := s.pages[name]
	if !ok {
		s.Logger.ErrorContext(r.Context(), "console page has no template", "page", name)
		http.Error(w, "this page is missing from the console", http.StatusInternalServerError)
		return
	}
	v := view{Title: title, Nav: name, Version: s.Version, Data: data, Flash: r.URL.Query().Get("done")}
	if se := sessionFrom(r.Context()); se != nil {
		v.Session = se
		v.CSRF = se.CSRF()
		if st, err := governance.ExecutionState(r.Context(), s.Store); err == nil {
			v.Execution = st
		}
	}
	if nav, ok := r.Context().Value(navKey{}).(string); ok {
		v.Nav = nav
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.Logger.ErrorContext(r.Context(), "rendering a console page failed", "page", name, "err", err)
		http.Error(w, "Tower could not draw this page; the error is in the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type navKey struct{}

// fail answers with the error page: a plain sentence for the person, the
// status for the browser.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", http.StatusText(status), msg)
}
