package nab

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// File is one NAB data file: its rows and its anomaly windows as row indices.
type File struct {
	Name     string // as in the label file, e.g. "realTweets/Twitter_volume_AAPL.csv"
	Category string // the folder, e.g. "realTweets"
	Times    []time.Time
	Values   []float64
	Windows  []Window
}

// LoadCorpus reads every CSV under dir/data and the windows in
// dir/labels/combined_windows.json (NAB's layout). Files listed in the
// label file but absent from dir/data are left out, so a subset of NAB
// loads as that subset. Files come back sorted by name.
func LoadCorpus(ctx context.Context, dir string) ([]File, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "labels", "combined_windows.json"))
	if err != nil {
		return nil, fmt.Errorf("reading NAB windows: %w", err)
	}
	var labels map[string][][2]string
	if err := json.Unmarshal(raw, &labels); err != nil {
		return nil, fmt.Errorf("reading NAB windows: %w", err)
	}
	names := make([]string, 0, len(labels))
	for name := range labels {
		names = append(names, name)
	}
	sort.Strings(names)
	var files []File
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "data", filepath.FromSlash(name))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		f, err := readFile(path)
		if err != nil {
			return nil, err
		}
		f.Name, f.Category = name, strings.SplitN(name, "/", 2)[0]
		for k, w := range labels[name] {
			s, err := rowOf(f.Times, w[0])
			if err != nil {
				return nil, fmt.Errorf("%s: window %d: %w", name, k, err)
			}
			e, err := rowOf(f.Times, w[1])
			if err != nil {
				return nil, fmt.Errorf("%s: window %d: %w", name, k, err)
			}
			f.Windows = append(f.Windows, Window{Start: s, End: e})
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no NAB data file found under %s", filepath.Join(dir, "data"))
	}
	return files, nil
}

const nabLayout = "2006-01-02 15:04:05"

// rowOf is the first row stamped ts, as NAB's scorer finds window edges
// (a few files repeat timestamps; the first occurrence counts).
func rowOf(times []time.Time, ts string) (int, error) {
	t, err := time.Parse(nabLayout, strings.TrimSuffix(ts, ".000000"))
	if err != nil {
		return 0, err
	}
	for i, x := range times {
		if x.Equal(t) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no row is stamped %s", ts)
}

func readFile(path string) (File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("reading %s: %w", path, err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	if _, err := r.Read(); err != nil {
		return File{}, fmt.Errorf("reading %s: %w", path, err)
	}
	var f File
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return File{}, fmt.Errorf("reading %s: %w", path, err)
		}
		t, err := time.Parse(nabLayout, rec[0])
		if err != nil {
			return File{}, fmt.Errorf("reading %s: %w", path, err)
		}
		v, err := strconv.ParseFloat(rec[1], 64)
		if err != nil {
			return File{}, fmt.Errorf("reading %s: %w", path, err)
		}
		f.Times = append(f.Times, t)
		f.Values = append(f.Values, v)
	}
}
