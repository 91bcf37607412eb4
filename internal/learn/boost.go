package learn

import (
	"context"
	"errors"
)

type boosted struct{}

func fitBoosted(ctx context.Context, feats []*feature, cs []cells, y []bool, seed uint64, progress func(done, total int)) (*boosted, error) {
	return nil, errors.New("boosted trees are not available yet; use --model logistic")
}

func (b *boosted) score(feats []*feature, cs []cells, n int) []float64 { return nil }
