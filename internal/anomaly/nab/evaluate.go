package nab

import (
	"fmt"
	"sort"
)

// Result is a detector's NAB score under one profile: overall and per
// category, each normalised over the windows it holds.
type Result struct {
	Profile    Profile
	Overall    float64            // normalised 0..100 (null 0, perfect 100)
	Raw        float64            // raw corpus score S
	Categories map[string]float64 // normalised per category
	TP, FN, FP int
	Windows    int
}

// Evaluate scores detections[k] (one bool per row of files[k]) under p.
func Evaluate(files []File, detections [][]bool, p Profile) (Result, error) {
	if len(files) != len(detections) {
		return Result{}, fmt.Errorf("%d files but %d detection lists", len(files), len(detections))
	}
	res := Result{Profile: p, Categories: map[string]float64{}}
	rawCat, winCat := map[string]float64{}, map[string]int{}
	for k, f := range files {
		if len(detections[k]) != len(f.Values) {
			return Result{}, fmt.Errorf("%s: %d rows but %d detections", f.Name, len(f.Values), len(detections[k]))
		}
		fs, err := ScoreFile(detections[k], f.Windows, p)
		if err != nil {
			return Result{}, fmt.Errorf("%s: %w", f.Name, err)
		}
		res.Raw += fs.Score
		res.TP, res.FN, res.FP, res.Windows = res.TP+fs.TP, res.FN+fs.FN, res.FP+fs.FP, res.Windows+fs.Windows
		rawCat[f.Category] += fs.Score
		winCat[f.Category] += fs.Windows
	}
	res.Overall = Normalize(res.Raw, res.Windows, p)
	for c, raw := range rawCat {
		res.Categories[c] = Normalize(raw, winCat[c], p)
	}
	return res, nil
}

// Categories returns the category names of files, sorted.
func Categories(files []File) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if !seen[f.Category] {
			seen[f.Category] = true
			out = append(out, f.Category)
		}
	}
	sort.Strings(out)
	return out
}
