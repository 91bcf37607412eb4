package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/towerops/tower/internal/store"
)

// ImportFile imports one file of one kind (`tower import --kind KIND
// FILE`). For templates, path may be one template file or a folder of
// them. The file is imported in one transaction.
//
// The error is for what stops the import: an unknown kind, a file that
// cannot be opened, a database failure. Bad rows are not errors: they are
// in the Report (and its errors report file), and Report.Failed says
// whether there were any.
func ImportFile(ctx context.Context, st store.Store, kind Kind, path string, opts Options) (*Report, error) {
	opts = opts.withDefaults(st.Backend())
	if !slices.Contains(Kinds, kind) {
		return nil, fmt.Errorf("%w %q; Tower imports: %s", ErrUnknownKind, string(kind), kindList())
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	start := time.Now()
	rep := &Report{Strict: opts.Strict}
	sink, auto := newErrorSink(rep, opts.ErrorsReport, filepath.Dir(filepath.Clean(path)))
	src := source{path: path, name: filepath.Base(path)}
	var templates []source
	switch {
	case kind == KindTemplates && fi.IsDir():
		var others []string
		templates, others, err = templateFiles(path, filepath.Base(filepath.Clean(path)))
		if err != nil {
			return nil, fmt.Errorf("listing templates in %s: %w", path, err)
		}
		skipOthers(rep, others)
		src.name = filepath.Base(filepath.Clean(path)) + "/"
	case kind == KindTemplates:
		src.name = filepath.Base(filepath.Dir(filepath.Clean(path))) + "/" + filepath.Base(path)
		templates = []source{src}
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder; to import a folder of files use `tower import %s` without --kind", path, path)
	}
	err = importOne(ctx, st, kind, src, templates, opts, rep, sink)
	if cerr := sink.close(auto); err == nil {
		err = cerr
	}
	rep.Duration = time.Since(start)
	return rep, err
}

// newErrorSink resolves Options.ErrorsReport: "" is import-errors.csv in
// dir (auto), "-" none, anything else that path.
func newErrorSink(rep *Report, setting, dir string) (*errorSink, bool) {
	switch setting {
	case "":
		return &errorSink{rep: rep, path: filepath.Join(dir, ErrorsReportName)}, true
	case ErrorsReportNone:
		return &errorSink{rep: rep}, false
	}
	return &errorSink{rep: rep, path: setting}, false
}

// importOne imports one file (or the templates folder) and adds its
// FileReport to rep.
func importOne(ctx context.Context, st store.Store, kind Kind, src source, templates []source, opts Options, rep *Report, sink *errorSink) error {
	fr := FileReport{Kind: kind, File: src.name}
	start := time.Now()
	var err error
	switch kind {
	case KindEvents:
		err = importEvents(ctx, st, src, opts, &fr, sink)
	case KindTemplates:
		err = importTemplates(ctx, st, templates, opts, &fr, sink)
	default:
		err = csvKinds[kind].importFile(ctx, st, src, opts, &fr, sink)
	}
	fr.Duration = time.Since(start)
	rep.Files = append(rep.Files, fr)
	if err != nil {
		opts.Logger.ErrorContext(ctx, "import stopped", "file", src.name, "err", err)
		return err
	}
	opts.Logger.InfoContext(ctx, "imported", "file", src.name, "read", fr.Read, "written", fr.Written,
		"rejected", fr.Rejected, "duplicates", fr.Duplicates, "refused", fr.Refused != "",
		"rolled_back", fr.RolledBack, "duration", fr.Duration.Round(time.Millisecond))
	return nil
}

func skipOthers(rep *Report, others []string) {
	for _, name := range others {
		rep.Skipped = append(rep.Skipped, Skipped{Name: name, Reason: "not a template (templates end in .liquid, .hbs or .html)", Warning: true})
		rep.Warnings = append(rep.Warnings, name+" is not a template (templates end in .liquid, .hbs or .html) and was skipped")
	}
}
