package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/towerops/tower/internal/store"
)

// ErrNothingToImport is returned (wrapped) by ImportBundle for a folder
// holding none of the files Tower imports.
var ErrNothingToImport = errors.New("no files to import")

// ImportBundle imports a folder of export files (`tower import DIR`).
// Files are recognised by name — owners.csv, accounts.csv, …,
// events.ndjson and the templates/ folder — and imported in dependency
// order (Kinds), each in its own transaction, so a bad file never undoes
// a good one. Files Tower does not know are skipped with a warning;
// known files that are absent are listed in Report.Missing.
//
// Errors are as for ImportFile; a database failure stops the import and
// the Report says which files were done.
func ImportBundle(ctx context.Context, st store.Store, dir string, opts Options) (*Report, error) {
	opts = opts.withDefaults(st.Backend())
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder %s: %w", dir, err)
	}
	start := time.Now()
	rep := &Report{Dir: dir, Strict: opts.Strict}
	found := map[Kind]string{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // .DS_Store, editor files: nobody means to import them
		}
		if strings.EqualFold(name, ErrorsReportName) {
			rep.Skipped = append(rep.Skipped, Skipped{name, "the errors report of an earlier import", false})
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		kind, ok := kindForFile(name, isDir)
		if !ok {
			what := "file"
			if isDir {
				what = "folder"
			}
			rep.Skipped = append(rep.Skipped, Skipped{name, "not a " + what + " Tower imports", true})
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s is not a %s Tower imports and was skipped; Tower "+
				"imports %s", name, what, bundleNames()))
			continue
		}
		if prev, dup := found[kind]; dup {
			if name == kind.FileName() { // prefer the canonical name
				prev, name = name, prev
				found[kind] = prev
			}
			rep.Skipped = append(rep.Skipped, Skipped{name, fmt.Sprintf("%s is already imported as the %s file", prev, kind), true})
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s and %s are both %s files; imported %s and skipped %s",
				prev, name, kind, prev, name))
			continue
		}
		found[kind] = name
	}
	if len(found) == 0 {
		return rep, fmt.Errorf("%w in %s: Tower imports %s", ErrNothingToImport, dir, bundleNames())
	}
	sink, auto := newErrorSink(rep, opts.ErrorsReport, dir)
	for _, kind := range Kinds {
		name, ok := found[kind]
		if !ok {
			rep.Missing = append(rep.Missing, displayName(kind))
			continue
		}
		if err = ctx.Err(); err != nil {
			break
		}
		src := source{path: filepath.Join(dir, name), name: name}
		var templates []source
		if kind == KindTemplates {
			var others []string
			templates, others, err = templateFiles(src.path, name)
			if err != nil {
				err = fmt.Errorf("listing templates in %s: %w", src.path, err)
				break
			}
			skipOthers(rep, others)
			src.name = name + "/"
		}
		if err = importOne(ctx, st, kind, src, templates, opts, rep, sink); err != nil {
			break
		}
	}
	if cerr := sink.close(auto && err == nil); err == nil {
		err = cerr
	}
	rep.Duration = time.Since(start)
	return rep, err
}

func displayName(k Kind) string {
	if k == KindTemplates {
		return "templates/"
	}
	return k.FileName()
}

func bundleNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = displayName(k)
	}
	return strings.Join(names, ", ")
}
