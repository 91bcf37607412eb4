package proposal

import (
	"fmt"
	"math"
	"strconv"
)

// Dollars writes an amount as $12,345: whole dollars, because the values
// proposals carry are estimates, and every place that shows one to a
// person (titles, briefings, the command line) writes it the same way.
func Dollars(f float64) string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	s := strconv.FormatInt(int64(math.Round(f)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return fmt.Sprintf("%s$%s", sign, s)
}
