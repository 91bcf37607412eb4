package linkage

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestDedupeGeneratedPeople(t *testing.T) {
	recs, truth := generatePeople(5000, 0.07, 7)
	res, err := Dedupe(context.Background(), recs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	q := score(res.Pairs, truth)
	t.Logf("5,000 generated: %d true pairs, predicted %d, P %.4f R %.4f F1 %.4f", len(truth), len(res.Pairs), q.p, q.r, q.f1)
	if q.r < 0.95 || q.p < 0.6 {
		t.Errorf("precision %.3f recall %.3f: want recall ≥ 0.95 and precision ≥ 0.6", q.p, q.r)
	}
	for _, p := range res.Pairs {
		if p.Probability < 0.9 {
			t.Fatalf("pair %s–%s below the default threshold: %v", p.A, p.B, p.Probability)
		}
		sum := 0.0
		for _, f := range p.Fields {
			if f.Level == "missing" && f.Weight != 0 {
				t.Fatalf("a missing value weighs %v bits in %s–%s", f.Weight, p.A, p.B)
			}
			sum += f.Weight
		}
		// Total weight = prior log-odds + the field weights (rounding aside).
		if prior := p.Weight - sum; prior > 0 || prior < -20 {
			t.Fatalf("pair %s–%s: weight %v minus fields %v leaves %v, not a prior log-odds", p.A, p.B, p.Weight, sum, prior)
		}
	}
}

func TestDeterministicForASeed(t *testing.T) {
	recs, _ := generatePeople(3000, 0.07, 3)
	run := func(workers int) *Result {
		res, err := Dedupe(context.Background(), recs, Config{Seed: 9, Workers: workers, USamplePairs: 50_000})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(1), run(4)
	if !reflect.DeepEqual(a.Pairs, b.Pairs) || !reflect.DeepEqual(a.Clusters, b.Clusters) || !reflect.DeepEqual(a.Model, b.Model) {
		t.Fatalf("two runs with one seed differ: %d vs %d pairs, %d vs %d clusters", len(a.Pairs), len(b.Pairs), len(a.Clusters), len(b.Clusters))
	}
}

func TestClusterSizeCap(t *testing.T) {
	recs, _ := generatePeople(5000, 0.3, 5)
	big := func(res *Result) int {
		m := 0
		for _, c := range res.Clusters {
			m = max(m, len(c))
		}
		return m
	}
	free, err := Dedupe(context.Background(), recs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if big(free) < 3 {
		t.Fatalf("with 30%% duplicates some person should have 3+ records; largest cluster %d", big(free))
	}
	capped, err := Dedupe(context.Background(), recs, Config{MaxClusterSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if big(capped) > 2 {
		t.Fatalf("MaxClusterSize 2 gave a cluster of %d", big(capped))
	}
	if len(capped.Pairs) != len(free.Pairs) {
		t.Fatalf("the cap must change clusters, not pairs: %d vs %d", len(capped.Pairs), len(free.Pairs))
	}
}

func TestLinkPairsCrossTables(t *testing.T) {
	recs, truth := generatePeople(4000, 0.1, 11)
	var left, right []Record
	for i, r := range recs {
		if i%2 == 0 {
			left = append(left, r)
		} else {
			right = append(right, r)
		}
	}
	inLeft := map[string]bool{}
	for _, r := range left {
		inLeft[r.ID] = true
	}
	res, err := Link(context.Background(), left, right, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) == 0 {
		t.Fatal("no pair linked")
	}
	cross := map[[2]string]bool{}
	for k := range truth {
		if inLeft[k[0]] != inLeft[k[1]] {
			cross[k] = true
		}
	}
	q := score(res.Pairs, cross)
	t.Logf("link: %d true cross pairs, P %.3f R %.3f", len(cross), q.p, q.r)
	for _, p := range res.Pairs {
		if !inLeft[p.A] || inLeft[p.B] {
			t.Fatalf("pair %s–%s is not left × right", p.A, p.B)
		}
	}
	if q.r < 0.9 {
		t.Errorf("link recall %.3f < 0.9", q.r)
	}
}

func TestRefusals(t *testing.T) {
	dup := []Record{{ID: "a", Fields: map[Role]string{Surname: "x"}}, {ID: "a", Fields: map[Role]string{Surname: "y"}}}
	if _, err := Dedupe(context.Background(), dup, Config{}); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate ids: got %v, want ErrDuplicateID", err)
	}
	empty := []Record{{ID: "a"}, {ID: "b", Fields: map[Role]string{Email: "  "}}}
	if _, err := Dedupe(context.Background(), empty, Config{}); !errors.Is(err, ErrNoFields) {
		t.Errorf("no values: got %v, want ErrNoFields", err)
	}
	recs, _ := generatePeople(2000, 0.07, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Dedupe(ctx, recs, Config{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}
}

func TestComparisonLevels(t *testing.T) {
	recs := []Record{
		{ID: "1", Fields: map[Role]string{GivenName: "Margaret", DateOfBirth: "1970-03-12", Email: "Ann.Lee@Example.com", Phone: "+61 2 9999 8888", Address: "12 Smith St"}},
		{ID: "2", Fields: map[Role]string{GivenName: "Peggy", DateOfBirth: "1970-12-03", Email: "ann.lee@example.COM", Phone: "02 9999 8888", Address: "12 smith street"}},
	}
	p, err := prepare(context.Background(), recs, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Role]string{GivenName: "nickname", DateOfBirth: "day and month swapped",
		Email: "same local part", Phone: "same last 9 digits", Address: "exact"}
	for r, level := range want {
		if got := levelNames[r][p.compare(nil, r, 0, 1)]; got != level {
			t.Errorf("%s: level %q, want %q", r, got, level)
		}
	}
}

// The early exit while scoring must never drop a pair the full weight
// keeps.
func TestScreenIsExact(t *testing.T) {
	recs, _ := generatePeople(3000, 0.1, 13)
	ctx := context.Background()
	cfg := Config{}.withDefaults()
	cfg.Workers = 1
	p, err := prepare(ctx, recs, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := buildBlocks(ctx, p, cfg.MaxBlockSize)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := estimateU(ctx, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var pats []patternCount
	counts := map[pattern]int64{}
	_ = b.forEachPair(ctx, p, b.tasks, 1, func(_, _ int, i, j uint32) { counts[p.pattern(nil, int(i), int(j))]++ }, nil)
	for pt, c := range counts {
		pats = append(pats, patternCount{pt, c})
	}
	f, err := runEM(ctx, p, pats, u, 100, emSpec{})
	if err != nil {
		t.Fatal(err)
	}
	e := &engine{p: p, f: f, cfg: cfg, logPrior: -3}
	best := e.bestWeights()
	screened, kept := 0, 0
	for _, minW := range []float64{-5, 0, 3.17, 10} {
		_ = b.forEachPair(ctx, p, b.tasks, 1, func(_, _ int, i, j uint32) {
			full := e.weight(int(i), int(j), p.pattern(nil, int(i), int(j)))
			if _, ok := e.screen(nil, int(i), int(j), best, minW); !ok {
				screened++
				if full >= minW {
					t.Fatalf("screen dropped %s–%s with weight %v ≥ %v", p.recs[i].ID, p.recs[j].ID, full, minW)
				}
			} else {
				kept++
			}
		}, nil)
	}
	if screened == 0 || kept == 0 {
		t.Fatalf("screened %d, kept %d: the test checks nothing", screened, kept)
	}
}
