package uplift

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// six rows, already in score order:
//
//	row  score  arm      visit
//	0    0.9    treated  yes
//	1    0.8    control  no
//	2    0.7    treated  yes
//	3    0.6    control  yes
//	4    0.5    treated  no
//	5    0.4    control  no
var (
	sixScore   = []float64{0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	sixTreated = []bool{true, false, true, false, true, false}
	sixY       = []bool{true, false, true, true, false, false}
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestUpliftAtKByHand(t *testing.T) {
	for _, c := range []struct {
		k      float64
		rows   int
		uplift float64
	}{
		{1.0 / 3, 2, 1 - 0},       // rows 0,1: treated 1/1, control 0/1
		{0.5, 3, 1 - 0},           // rows 0-2: treated 2/2, control 0/1
		{4.0 / 6, 4, 1 - 0.5},     // rows 0-3: treated 2/2, control 1/2
		{1, 6, 2.0/3 - 1.0/3},     // everyone
		{0.9, 5, 2.0/3 - 1.0/2.0}, // floor(5.4) = 5 rows
	} {
		got, err := UpliftAtK(sixScore, sixY, sixTreated, c.k)
		if err != nil {
			t.Fatalf("k=%g: %v", c.k, err)
		}
		if got.Rows != c.rows || !near(got.Uplift, c.uplift) {
			t.Errorf("k=%g: %d rows, uplift %g; want %d rows, %g", c.k, got.Rows, got.Uplift, c.rows, c.uplift)
		}
	}
	// The top row alone is treated: no control rate, so no answer.
	if _, err := UpliftAtK(sixScore, sixY, sixTreated, 0.2); !errors.Is(err, ErrInput) {
		t.Errorf("k=0.2 (one treated row): %v", err)
	}
	for _, k := range []float64{0, 0.1, 1.5, math.NaN()} {
		if _, err := UpliftAtK(sixScore, sixY, sixTreated, k); !errors.Is(err, ErrInput) {
			t.Errorf("k=%g accepted", k)
		}
	}
}

func TestUpliftAtKRanksByScore(t *testing.T) {
	// The same rows shuffled give the same answer: the metric ranks.
	perm := []int{3, 5, 0, 4, 1, 2}
	s, y, tr := make([]float64, 6), make([]bool, 6), make([]bool, 6)
	for j, i := range perm {
		s[j], y[j], tr[j] = sixScore[i], sixY[i], sixTreated[i]
	}
	got, err := UpliftAtK(s, y, tr, 0.5)
	if err != nil || !near(got.Uplift, 1) || got.Treated != 2 || got.Control != 1 {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestQiniCurveByHand(t *testing.T) {
	c, err := QiniCurve(sixScore, sixY, sixTreated)
	if err != nil {
		t.Fatal(err)
	}
	// After n rows: treated responders − control responders × treated/control.
	wantY := []float64{0, 1, 1, 2, 2 - 1*2.0/2, 2 - 1*3.0/2, 2 - 1*3.0/3}
	if !slices.Equal(c.X, []float64{0, 1, 2, 3, 4, 5, 6}) || !slices.EqualFunc(c.Y, wantY, near) {
		t.Fatalf("curve %v %v, want y %v", c.X, c.Y, wantY)
	}
	// Trapezoids 0.5+1+1.5+1.5+0.75+0.75 = 6; random is 6·1/2 = 3.
	if !near(c.Area(), 6) || !near(c.AboveRandom(), 3) {
		t.Fatalf("area %g, above random %g", c.Area(), c.AboveRandom())
	}
	// Perfect order: treated responders (rows 2, 0), then rows 5, 4, 1,
	// then the control responder 3: points (2,2) (5,2) (6,1); area 9.5,
	// above random 6.5. So the coefficient is 3/6.5.
	q, err := QiniCoefficient(sixScore, sixY, sixTreated)
	if err != nil || !near(q, 3/6.5) {
		t.Fatalf("qini coefficient %g %v, want %g", q, err, 3/6.5)
	}
	// Reversing the ranking puts it below random.
	rev := slices.Clone(sixScore)
	for i := range rev {
		rev[i] = -rev[i]
	}
	if q, _ := QiniCoefficient(rev, sixY, sixTreated); q >= 0 {
		t.Errorf("reversed ranking scores %g, want < 0", q)
	}
}

func TestTiedScoresEnterTogether(t *testing.T) {
	c, err := QiniCurve([]float64{0.5, 0.5, 0.1, 0.1}, []bool{true, false, false, true}, []bool{true, false, true, false})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.X, []float64{0, 2, 4}) || !slices.EqualFunc(c.Y, []float64{0, 1, 0}, near) {
		t.Fatalf("tied curve %v %v", c.X, c.Y)
	}
}

func TestAUUCByHand(t *testing.T) {
	c, err := UpliftCurve(sixScore, sixY, sixTreated)
	if err != nil {
		t.Fatal(err)
	}
	// (treated rate − control rate) × rows so far.
	wantY := []float64{0, 1, 2, 3, 0.5 * 4, (2.0/3 - 0.5) * 5, (2.0/3 - 1.0/3) * 6}
	if !slices.EqualFunc(c.Y, wantY, near) {
		t.Fatalf("uplift curve %v, want %v", c.Y, wantY)
	}
	// Area 0.5+1.5+2.5+2.5+17/12+17/12 = 59/6; random 6·2/2 = 6.
	if !near(c.AboveRandom(), 59.0/6-6) {
		t.Fatalf("above random %g", c.AboveRandom())
	}
	// Perfect: control responders (1) do not outnumber treated
	// non-responders (1), so the order is rows 2,0 (3 points), 5,1 (2),
	// 4 (1), 3 (0): points (2,2) (4,4) (5,10/3) (6,2); area 43/3, above
	// random 25/3.
	a, err := AUUC(sixScore, sixY, sixTreated)
	if err != nil || !near(a, (59.0/6-6)/(25.0/3)) {
		t.Fatalf("auuc %g %v, want %g", a, err, (59.0/6-6)/(25.0/3))
	}
}

func TestDecilesByHand(t *testing.T) {
	// Ten rows: the first five treated responders and control
	// non-responders alternately, the last five the reverse.
	score := make([]float64, 10)
	y, tr := make([]bool, 10), make([]bool, 10)
	for i := range score {
		score[i] = float64(10 - i)
		tr[i] = i%2 == 0
		y[i] = (i < 5) == tr[i]
	}
	ds, err := Deciles(score, y, tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 10 {
		t.Fatalf("%d deciles", len(ds))
	}
	// Top 50%: rows 0-4, treated 0,2,4 all responded; control 1,3 did not.
	if d := ds[4]; d.Rows != 5 || d.Treated != 3 || d.Control != 2 || !near(d.Gain, 3) || !near(d.TreatedRate, 1) || !near(d.ControlRate, 0) {
		t.Errorf("50%%: %+v", d)
	}
	// Everyone: treated 3 of 5 responded, control 3 of 5 → no gain.
	if d := ds[9]; !near(d.Gain, 0) || !near(d.Random, 0) {
		t.Errorf("100%%: %+v", d)
	}
}

func TestMetricsRefuseBadInput(t *testing.T) {
	if _, err := QiniCurve([]float64{1}, []bool{true, false}, []bool{true, false}); !errors.Is(err, ErrInput) {
		t.Errorf("length mismatch: %v", err)
	}
	if _, err := UpliftAtK([]float64{1, 2}, []bool{true, false}, []bool{true, true}, 1); !errors.Is(err, ErrInput) {
		t.Errorf("no control rows: %v", err)
	}
	if _, err := QiniCoefficient([]float64{1, 2}, []bool{false, false}, []bool{true, false}); !errors.Is(err, ErrInput) {
		t.Errorf("no responses at all: %v", err)
	}
}
