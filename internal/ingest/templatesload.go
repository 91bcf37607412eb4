package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// templateFiles lists the template files under dir (sorted, recursively,
// dot-files left out) as sources named prefix/relative-path, and the
// other files it found, which are not templates.
func templateFiles(dir, prefix string) (files []source, others []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		name := prefix + "/" + filepath.ToSlash(rel)
		if isTemplateFile(d.Name()) {
			files = append(files, source{path: path, name: name})
		} else {
			others = append(others, name)
		}
		return nil
	})
	return files, others, err
}

// importTemplates imports template files in one transaction: the folder
// is the unit strict mode keeps or rolls back, as a CSV file is.
func importTemplates(ctx context.Context, st store.Store, files []source, opts Options, fr *FileReport, sink *errorSink) error {
	var n tally
	prog := &progress{fn: opts.Progress, kind: KindTemplates, total: int64(len(files))}
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		firstIn := map[string]string{}
		b := &batch[foundation.Template]{}
		var names []string // file of each template in the batch
		write := func(ctx context.Context, items []foundation.Template) (*store.UpsertResult, error) {
			res, err := q.TemplatesUpsert(ctx, &store.TemplatesUpsertParams{Templates: items})
			if err == nil {
				for _, rj := range res.Rejected {
					if rj.Index >= 0 && rj.Index < len(names) {
						sink.add(RowError{File: names[rj.Index], Line: 1, Column: rj.Field, Reason: rj.Reason})
					}
				}
				n.rejected += int64(len(res.Rejected))
				res = &store.UpsertResult{Written: res.Written, Duplicates: res.Duplicates}
			}
			names = names[:0]
			return res, err
		}
		for i, src := range files {
			n.read++
			t, p, err := readTemplate(src)
			if err != nil {
				return err
			}
			if p == nil {
				if first, dup := firstIn[t.ID]; dup {
					p = &templateProblem{1, "id", fmt.Sprintf("duplicate id %q, first in %s", t.ID, first)}
				}
			}
			if p != nil {
				n.refused++
				b.refuse(RowError{File: src.name, Line: p.line, Column: p.column, Reason: p.reason})
			} else {
				firstIn[t.ID] = src.name
				b.add(t, 1, nil)
				names = append(names, src.name)
			}
			if b.full(opts.BatchSize) {
				if err := b.flush(ctx, "templates", write, sink, &n); err != nil {
					return err
				}
				b.reset()
			}
			prog.report(int64(i + 1))
		}
		if err := b.flush(ctx, "templates", write, sink, &n); err != nil {
			return err
		}
		if opts.Strict && n.refused+n.rejected > 0 {
			return errStrictRollback
		}
		return nil
	})
	if err := n.record(fr, err); err != nil {
		return err
	}
	return nil
}

// readTemplate reads and parses one template file; the error is a failed
// read, the problem something wrong with the file's content.
func readTemplate(src source) (foundation.Template, *templateProblem, error) {
	f, err := os.Open(src.path)
	if err != nil {
		return foundation.Template{}, nil, fmt.Errorf("opening %s: %w", src.name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTemplateBytes+1))
	if err != nil {
		return foundation.Template{}, nil, fmt.Errorf("reading %s: %w", src.name, err)
	}
	if len(data) > maxTemplateBytes {
		return foundation.Template{}, &templateProblem{0, "", fmt.Sprintf("the file is larger than %s, the limit for a template",
			sizeText(maxTemplateBytes))}, nil
	}
	t, p := parseTemplate(src.name, data)
	return t, p, nil
}
