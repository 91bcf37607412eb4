package linkage

import (
	"math"
	"testing"
)

func TestJaroWinklerKnownValues(t *testing.T) {
	// Reference values from Winkler's papers and common implementations.
	cases := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"jones", "johnson", 0.8323},
		{"abc", "abc", 1},
		{"abc", "xyz", 0},
		{"", "abc", 0},
		{"zoë", "zoe", 0.8222},
	}
	for _, c := range cases {
		got := jaroWinkler(c.a, c.b)
		if math.Abs(got-c.want) > 0.001 {
			t.Errorf("jaroWinkler(%q, %q) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
		if back := jaroWinkler(c.b, c.a); math.Abs(back-got) > 1e-12 {
			t.Errorf("jaroWinkler is not symmetric on %q/%q: %v vs %v", c.a, c.b, got, back)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	yes := [][2]string{{"4011", "4011"}, {"4011", "4012"}, {"4011", "4101"}, {"4011", "401"}, {"401", "4011"}, {"", "1"}, {"19560409", "19560490"}}
	no := [][2]string{{"4011", "5012"}, {"4011", "1104"}, {"12", "1234"}, {"abcd", "badc"}}
	for _, c := range yes {
		if !withinOneEdit(c[0], c[1]) {
			t.Errorf("withinOneEdit(%q, %q) = false, want true", c[0], c[1])
		}
	}
	for _, c := range no {
		if withinOneEdit(c[0], c[1]) {
			t.Errorf("withinOneEdit(%q, %q) = true, want false", c[0], c[1])
		}
	}
}

func TestSoundex(t *testing.T) {
	cases := map[string]string{"robert": "R163", "rupert": "R163", "ashcraft": "A261", "tymczak": "T522",
		"pfister": "P236", "honeyman": "H555", "lee": "L000", "": "", "123": ""}
	for in, want := range cases {
		if got := soundex(in); got != want {
			t.Errorf("soundex(%q) = %q, want %q", in, got, want)
		}
	}
}

// The bound that skips Jaro–Winkler must never be below the real value.
func TestJWAtMostIsAnUpperBound(t *testing.T) {
	recs, _ := generatePeople(400, 0.2, 17)
	var words []string
	for _, r := range recs {
		words = append(words, normalize(Surname, r.Fields[Surname]), addressKey(r.Fields[Address]), normalize(City, r.Fields[City]))
	}
	below := 0
	for i, a := range words {
		for _, b := range words[i+1 : min(i+200, len(words))] {
			bound, real := jwAtMost(a, b), jaroWinkler(a, b)
			if bound+1e-12 < real {
				t.Fatalf("jwAtMost(%q, %q) = %v < jaroWinkler %v", a, b, bound, real)
			}
			if bound < 0.8 {
				below++
			}
		}
	}
	if below == 0 {
		t.Fatal("the bound never rules a pair out: the test checks nothing useful")
	}
}
