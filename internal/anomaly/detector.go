package anomaly

import (
	"math"
	"time"
)

// minSurprises is how many surprises the likelihood and the record need
// before they say anything: fewer is no history to compare with.
const minSurprises = 100

// Result is what the detector says about one row.
type Result struct {
	Score    float64 // 0..1: how unusual the row is for this series
	Flag     bool    // Score reached the threshold and no flag is being suppressed
	Surprise float64 // distance from the baseline, in its standard deviations
}

// Detector scores one series, one row at a time. It is not safe for
// concurrent use; use one Detector per series.
type Detector struct {
	cfg       Config
	maxScale  int
	values    []float64 // ring: the last Baseline+maxScale values
	n         int       // values seen
	scored    int       // surprises computed
	surprises *moments  // for the likelihood's usual level
	recent    *moments  // the last LikelihoodAverage surprises
	record    []float64 // ring: the last RecordHistory surprises
	sinceFlag int

	seasons    []*seasonal   // daily and weekly residuals
	context    *contextModel // never-seen sequences of quantised values
	novelties  *moments      // for the context likelihood's usual level
	recentNov  *moments      // the last LikelihoodAverage novelties
	contextsIn int           // novelties computed
}

// New returns a detector with no history. cfg must be valid (see
// Config.Validate); New panics otherwise, as a wrong configuration is a
// programming error, not bad data.
func New(cfg Config) *Detector {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	ms := 0
	for _, s := range cfg.Scales {
		ms = max(ms, s)
	}
	return &Detector{
		cfg:       cfg,
		maxScale:  ms,
		values:    make([]float64, cfg.Baseline+ms),
		surprises: newMoments(cfg.LikelihoodHistory),
		recent:    newMoments(cfg.LikelihoodAverage),
		record:    make([]float64, 0, cfg.RecordHistory),
		sinceFlag: math.MaxInt32,
		seasons: []*seasonal{
			newSeasonal(7*24*time.Hour, 3, cfg.Baseline+ms),
			newSeasonal(24*time.Hour, 3, cfg.Baseline+ms),
		},
		context:   newContextModel(cfg.ContextLevels, cfg.ContextOrder),
		novelties: newMoments(cfg.LikelihoodHistory),
		recentNov: newMoments(cfg.LikelihoodAverage),
	}
}

// Observe takes the next row and scores it using only it and the rows
// before. Rows must come in time order; t matches a row with the same clock
// time a day and a week earlier for the seasonal models. A value that is
// not a finite number is not learned from and scores 0.
func (d *Detector) Observe(t time.Time, v float64) Result {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Result{}
	}
	contextFlag := d.observeContext(v)
	d.values[d.n%len(d.values)] = v
	d.n++
	if d.cfg.SeasonFit > 0 {
		for _, s := range d.seasons {
			s.observe(t, v)
		}
	}
	if d.sinceFlag < math.MaxInt32 {
		d.sinceFlag++
	}
	if d.n <= d.cfg.Warmup {
		return Result{}
	}
	s := d.surprise()
	res := Result{Surprise: s}
	d.recent.add(s)
	if d.scored >= minSurprises {
		res.Score = max(d.likelihood(), d.recordScore(s))
		// Inside the learning rows no score at all, as LearningRows says.
		if contextFlag && d.n > d.cfg.ContextWarmup {
			res.Score = 1
		}
	}
	d.scored++
	d.surprises.add(s)
	d.pushRecord(s)
	if res.Score >= d.cfg.Threshold && d.sinceFlag > d.cfg.Suppress {
		res.Flag = true
		d.sinceFlag = 0
	}
	return res
}

// surprise is the row's surprise under the model that fits the series
// best: the plain values, or the residuals of the weekly or daily seasonal
// model when they spread less than SeasonFit times the values (and less
// than each other) over the baseline. A series without a cycle keeps the
// plain model; for taxi rides the weekly model wins, and a holiday that
// looks like an ordinary night shows up as a large residual.
func (d *Detector) surprise() float64 {
	s, sd := d.surpriseOf(d.values, d.n)
	best := d.cfg.SeasonFit * sd
	for _, m := range d.seasons {
		if d.cfg.SeasonFit == 0 || m.n < d.cfg.Baseline+d.maxScale {
			continue
		}
		if ms, msd := d.surpriseOf(m.resid, m.n); msd < best {
			s, best = ms, msd
		}
	}
	return s
}

// surpriseOf is, for the ring buf holding n values so far, the largest over
// the scales distance between the mean of the latest `scale` values and the
// mean of the Baseline values before them, in standard deviations of the
// latter. It also returns the baseline's standard deviation at the first
// scale, which says how well the model behind buf fits.
func (d *Detector) surpriseOf(buf []float64, n int) (surprise, spread float64) {
	back := func(k int) float64 { return buf[(n-1-k)%len(buf)] }
	spread = -1
	for _, sc := range d.cfg.Scales {
		w := min(d.cfg.Baseline, n-sc)
		if w < 10 {
			continue
		}
		var sum, sq float64
		for k := sc; k < sc+w; k++ {
			x := back(k)
			sum += x
			sq += x * x
		}
		mu := sum / float64(w)
		sd := math.Sqrt(max(sq/float64(w)-mu*mu, 0))
		if spread < 0 {
			spread = sd
		}
		var recent float64
		for k := range sc {
			recent += back(k)
		}
		recent /= float64(sc)
		// A tiny floor, relative to the level, keeps a flat series from
		// dividing by zero while a real change off a flat line still counts.
		z := math.Abs(recent-mu) / (sd + 1e-9*math.Abs(mu) + 1e-12)
		surprise = max(surprise, z)
	}
	return surprise, max(spread, 0)
}

// observeContext feeds v to the context model and says whether the recent
// rate of never-seen contexts is unusual for this series: its anomaly
// likelihood (recent average novelty against the mean and spread over
// LikelihoodHistory rows) reaches ContextThreshold.
func (d *Detector) observeContext(v float64) bool {
	nov, ok := d.context.observe(v)
	if !ok {
		return false
	}
	d.recentNov.add(nov)
	unusual := false
	if d.contextsIn >= d.cfg.ContextWarmup {
		sd := max(d.novelties.std(), 1e-6)
		z := (d.recentNov.mean() - d.novelties.mean()) / sd
		unusual = 0.5*math.Erfc(-z/math.Sqrt2) >= d.cfg.ContextThreshold
	}
	d.contextsIn++
	d.novelties.add(nov)
	return unusual
}

// likelihood is the Gaussian probability that the recent average surprise
// is below what it is, given the mean and spread of past surprises.
func (d *Detector) likelihood() float64 {
	sd := max(d.surprises.std(), 1e-6)
	z := (d.recent.mean() - d.surprises.mean()) / sd
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// recordScore is 1 minus the share of the last RecordHistory surprises
// that s does not beat by RecordMargin: 1 for a record.
func (d *Detector) recordScore(s float64) float64 {
	near := 0
	for _, r := range d.record {
		if r*d.cfg.RecordMargin >= s {
			near++
		}
	}
	return 1 - float64(near)/float64(d.cfg.RecordHistory)
}

func (d *Detector) pushRecord(s float64) {
	if len(d.record) < d.cfg.RecordHistory {
		d.record = append(d.record, s)
		return
	}
	d.record[d.scored%d.cfg.RecordHistory] = s
}
