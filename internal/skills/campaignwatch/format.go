package campaignwatch

import (
	"fmt"
	"math"
	"strings"

	"github.com/towerops/tower/internal/proposal"
)

func pct(r float64) string {
	switch a := math.Abs(r); {
	case a == 0:
		return "0%"
	case a < 0.001:
		return fmt.Sprintf("%.3f%%", r*100)
	case a < 0.1:
		return fmt.Sprintf("%.2f%%", r*100)
	}
	return fmt.Sprintf("%.0f%%", r*100)
}

func signedPct(r float64) string {
	if r > 0 {
		return "+" + pct(r)
	}
	return pct(r)
}

func moved(rel float64) string {
	if rel < 0 {
		return "down"
	}
	return "up"
}

// rateText shows a metric's value: a percentage for rates, conversions
// per dollar as a cost per acquisition.
func rateText(m Metric, v float64) string {
	if m.Poisson {
		if v <= 0 {
			return "no conversions"
		}
		return proposal.Dollars(1/v) + " per conversion"
	}
	return pct(v)
}

func num(v float64) string { return strings.TrimPrefix(proposal.Dollars(v), "$") }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
