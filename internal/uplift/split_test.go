package uplift

import (
	"slices"
	"testing"
)

func TestSplitKeepsProportions(t *testing.T) {
	n := 1000
	treated, y := make([]bool, n), make([]bool, n)
	for i := range n {
		treated[i] = i%2 == 0
		y[i] = i%10 < 3 // 30% respond in both arms
	}
	train, test, err := Split(treated, y, 0.5, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(train)+len(test) != n || len(test) != 500 {
		t.Fatalf("train %d test %d", len(train), len(test))
	}
	count := func(rows []int) (tr, resp int) {
		for _, i := range rows {
			if treated[i] {
				tr++
			}
			if y[i] {
				resp++
			}
		}
		return
	}
	if tr, resp := count(test); tr != 250 || resp != 150 {
		t.Errorf("test has %d treated, %d responders; want 250 and 150", tr, resp)
	}
	all := slices.Concat(train, test)
	slices.Sort(all)
	for i, r := range all {
		if r != i {
			t.Fatalf("row %d missing or repeated", i)
		}
	}
	again, _, _ := Split(treated, y, 0.5, 7)
	if !slices.Equal(again, train) {
		t.Error("same seed, different split")
	}
	other, _, _ := Split(treated, y, 0.5, 8)
	if slices.Equal(other, train) {
		t.Error("a different seed gave the same split")
	}
	if _, _, err := Split(treated, y, 1, 7); err == nil {
		t.Error("test share 1 accepted")
	}
}
