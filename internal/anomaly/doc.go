// Package anomaly flags unusual values in a time series as they arrive: a
// live monitor's view, where each row's score uses only that row and the
// ones before it (no look-ahead), with a fresh model per series and no need
// to know the value range in advance.
//
// Each value goes through these steps:
//
//  1. Surprise. At two scales — the value itself and the mean of the last
//     ten values — the distance from the mean of the preceding Baseline
//     values, in standard deviations of those values. The larger of the
//     two is the row's surprise: the first scale catches spikes, the second
//     shifts in level that no single value makes obvious. The same is
//     measured on the residuals of a daily and a weekly seasonal-naive
//     forecast (the mean of the same clock time in the last three days or
//     weeks); when one of them spreads clearly less than the plain values
//     (SeasonFit), its surprise is used instead — so a holiday that looks
//     like an ordinary night still stands out in a series with a cycle.
//  2. Two ways to call a surprise unusual for THIS series, because surprise
//     levels differ wildly between series (tweet counts spike every day, a
//     machine temperature almost never):
//     - likelihood: Numenta's "anomaly likelihood" — the recent average
//     surprise compared with the mean and spread of surprises over a long
//     history, as a Gaussian tail probability. It rises on sustained
//     change;
//     - record: how many of the last RecordHistory surprises come within
//     RecordMargin of this one. None → 1.0. It rises on a spike larger
//     than anything seen for a long while.
//     The score is the larger of the two, in [0, 1].
//  3. Context. Separately, values are quantised into ContextLevels bins
//     over the range seen so far, and a model counts which bins follow
//     which ContextOrder previous bins (the idea of the Contextual Anomaly
//     Detector, CAD OSE, and of HTM's sequence memory). A burst of
//     never-seen (context, bin) pairs, unusual by the same likelihood as in
//     step 2 (ContextThreshold), scores the row 1: a rhythm that changes
//     without any single value being out of range.
//  4. Flag. A row is flagged when its score reaches Threshold, unless a flag
//     was raised in the last Suppress rows: one incident, one alert, as the
//     best detectors on the Numenta Anomaly Benchmark do.
//
// The work per row is O(Baseline + RecordHistory), a few thousand
// additions, whatever the length of the series; the seasonal models keep
// three weeks of rows in memory. See docs/anomalies.md for
// the benchmark figures and how the one configuration was chosen.
package anomaly
