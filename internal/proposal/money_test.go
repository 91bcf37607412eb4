package proposal

import "testing"

func TestDollars(t *testing.T) {
	for in, want := range map[float64]string{0: "$0", 999.4: "$999", 1000: "$1,000", 1234567.8: "$1,234,568", -45000: "-$45,000"} {
		if got := Dollars(in); got != want {
			t.Errorf("Dollars(%v) = %q, want %q", in, got, want)
		}
	}
}
