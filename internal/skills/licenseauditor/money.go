package licenseauditor

import (
	"fmt"
	"math"
	"strconv"
)

// money writes an amount as $12,345 (whole dollars: these are estimates).
func money(f float64) string {
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

// Money is money for the command line.
func Money(f float64) string { return money(f) }
