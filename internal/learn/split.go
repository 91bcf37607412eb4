package learn

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// AUC is the area under the ROC curve: the chance that a random converter
// scores above a random non-converter, ties counting half (the
// Mann–Whitney statistic). It is NaN when y holds only one class.
func AUC(scores []float64, y []bool) float64 {
	n := len(scores)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var pos, neg, rankSum float64
	for i := 0; i < n; {
		j := i
		for j < n && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			if y[idx[k]] {
				rankSum += avg
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// newRand gives every random choice in this package the same source for a
// seed, so a fit is repeatable.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x70776572))
}

// byClass returns the indexes of the positives and negatives, each
// shuffled with the seed.
func byClass(y []bool, seed uint64) (pos, neg []int) {
	for i, v := range y {
		if v {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	r := newRand(seed)
	r.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
	r.Shuffle(len(neg), func(i, j int) { neg[i], neg[j] = neg[j], neg[i] })
	return pos, neg
}

// StratifiedSplit puts about testFrac of the positives and of the
// negatives (indexes into y) in test and the rest in train, so both keep
// the base rate. Both lists are sorted.
func StratifiedSplit(y []bool, testFrac float64, seed uint64) (train, test []int) {
	pos, neg := byClass(y, seed)
	for _, class := range [][]int{pos, neg} {
		k := int(math.Round(testFrac * float64(len(class))))
		test = append(test, class[:k]...)
		train = append(train, class[k:]...)
	}
	slices.Sort(train)
	slices.Sort(test)
	return train, test
}

// StratifiedFolds deals the indexes of y into k folds with the same base
// rate and returns each fold's test indexes, sorted; a fold's training
// rows are all the others.
func StratifiedFolds(y []bool, k int, seed uint64) [][]int {
	if k < 2 {
		k = 2
	}
	folds := make([][]int, k)
	pos, neg := byClass(y, seed)
	n := 0
	for _, class := range [][]int{pos, neg} {
		for _, i := range class {
			folds[n%k] = append(folds[n%k], i)
			n++
		}
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds
}

// Complement lists 0..n-1 without the sorted indexes in test: the
// training rows of a fold.
func Complement(n int, test []int) []int {
	out := make([]int, 0, n-len(test))
	j := 0
	for i := range n {
		if j < len(test) && test[j] == i {
			j++
			continue
		}
		out = append(out, i)
	}
	return out
}
