// Package anomaly flags unusual values in a time series as they arrive: a
// live monitor's view, where each row's score uses only that row and the
// ones before it (no look-ahead), with a fresh model per series and no need
// to know the value range in advance.
//
// Each value goes through three steps:
//
//  1. Surprise. At two scales — the value itself and the mean of the last
//     ten values — the distance from the mean of the preceding Baseline
//     values, in standard deviations of those values. The larger of the
//     two is the row's surprise: the first scale catches spikes, the second
//     shifts in level that no single value makes obvious.
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
//  3. Flag. A row is flagged when its score reaches Threshold, unless a flag
//     was raised in the last Suppress rows: one incident, one alert, as the
//     best detectors on the Numenta Anomaly Benchmark do.
//
// The work per row is O(Baseline + RecordHistory), a few thousand
// additions, whatever the length of the series. See docs/anomalies.md for
// the benchmark figures and how the one configuration was chosen.
package anomaly
