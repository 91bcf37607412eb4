package nextbestaction

import (
	"context"

	"github.com/towerops/tower/internal/store"
)

const page = 1000

// all reads every page of a list.
func all[T any](ctx context.Context, list func(context.Context, store.Page) ([]T, error)) ([]T, error) {
	var out []T
	for off := 0; ; off += page {
		rows, err := list(ctx, store.Page{Limit: page, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < page {
			return out, nil
		}
	}
}
