package campaignwatch

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// simSeries draws days of a binomial metric whose true rate wobbles by a
// lognormal factor with sd tau each day and, from day dropAt on, is
// multiplied by factor. Volume halves on weekends, as most campaigns do.
func simSeries(r *rand.Rand, days int, den, rate, tau float64, dropAt int, factor float64) []Point {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday
	out := make([]Point, 0, days)
	for i := 0; i < days; i++ {
		d := start.AddDate(0, 0, i)
		n := den * math.Exp(0.1*r.NormFloat64())
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			n *= 0.35
		}
		n = math.Round(n)
		p := rate * math.Exp(tau*r.NormFloat64())
		if dropAt >= 0 && i >= dropAt {
			p *= factor
		}
		out = append(out, Point{Date: d, Num: binomialDraw(r, n, math.Min(p, 1)), Den: n})
	}
	return out
}

func binomialDraw(r *rand.Rand, n, p float64) float64 {
	if n < 100 {
		k := 0.0
		for i := 0.0; i < n; i++ {
			if r.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := n * p
	// Poisson-ish tails matter for small means; use the exact sum of
	// Bernoulli draws when the mean is small.
	if mean < 50 {
		k := 0.0
		// Knuth's Poisson sampler is exact enough for rare events.
		l, q := math.Exp(-mean), 1.0
		for {
			q *= r.Float64()
			if q <= l {
				return k
			}
			k++
		}
	}
	return math.Max(0, math.Round(mean+math.Sqrt(mean*(1-p))*r.NormFloat64()))
}

// TestScanFalseAlarms runs the scan every day over campaigns that never
// change, across volumes, rates and day-to-day variation, and counts
// alarms per campaign-day. It must stay within the stated bound's order of
// magnitude: the team would stop reading an agent that cries wolf.
func TestScanFalseAlarms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	campaigns, days := 1500, 84
	if testing.Short() {
		campaigns = 300
	}
	m, _ := MetricNamed("click_rate")
	alarms, checked := 0, 0
	for c := 0; c < campaigns; c++ {
		den := math.Exp(math.Log(300) + r.Float64()*math.Log(200)) // 300 to 60,000 a day
		rate := 0.005 + 0.05*r.Float64()
		tau := []float64{0, 0.05, 0.1, 0.2}[c%4]
		pts := simSeries(r, days, den, rate, tau, -1, 1)
		for end := 21; end <= days; end++ {
			checked++
			if _, bad := Scan(pts[:end], m, DefaultScan); bad {
				alarms++
			}
		}
	}
	rate := float64(alarms) / float64(checked)
	t.Logf("false alarms: %d in %d campaign-days (%.2g a day; stated bound %.2g)", alarms, checked, rate, DefaultScan.FalseAlarmBound())
	if rate > 10*DefaultScan.FalseAlarmBound() {
		t.Errorf("false-alarm rate %.2g is over ten times the bound %.2g", rate, DefaultScan.FalseAlarmBound())
	}
}

// TestScanFindsDropsFast plants drops of a third to a half on campaigns
// with a few hundred events a working day and measures how many are found
// by the end of the day after the drop, and that the change day is named.
func TestScanFindsDropsFast(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m, _ := MetricNamed("click_rate")
	trials, found, onDay := 400, 0, 0
	for i := 0; i < trials; i++ {
		dropAt := 28 + r.IntN(28)
		for time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).AddDate(0, 0, dropAt).Weekday() > time.Thursday {
			dropAt++
		}
		factor := 0.45 + 0.2*r.Float64()
		pts := simSeries(r, dropAt+10, 400/0.03, 0.03, 0.05, dropAt, factor)
		if c, bad := Scan(pts[:dropAt+2], m, DefaultScan); bad {
			found++
			if c.Start.Equal(pts[dropAt].Date) {
				onDay++
			}
		}
	}
	t.Logf("found %d of %d drops within a day; change day named exactly for %d", found, trials, onDay)
	if found < trials*95/100 {
		t.Errorf("found only %d of %d drops within a day", found, trials)
	}
	if onDay < found*9/10 {
		t.Errorf("named the change day for only %d of %d", onDay, found)
	}
}
