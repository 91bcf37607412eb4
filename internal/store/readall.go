package store

// ReadAll reads every page of a List method, size rows at a time, for
// readers (skills, mostly) that need the whole list. List methods page
// with Limit/Offset and cap nothing, so a larger size means fewer round
// trips; the page read short is the last one.
func ReadAll[T any](size int, list func(Page) ([]T, error)) ([]T, error) {
	var out []T
	for off := 0; ; off += size {
		rows, err := list(Page{Limit: size, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < size {
			return out, nil
		}
	}
}
