// Package learn fits propensity models: given rows of a table and whether
// each converted, it learns a score from 0 to 1 for how likely a row is to
// convert, so a campaign can call the likeliest first.
//
// Two model kinds exist. "logistic" is an L2-regularised logistic
// regression on an encoding that lets a straight line bend: categories are
// one-hot (rare levels pooled into "other", a missing value is its own
// level, a level never seen in training scores as "other"), and every
// numeric column enters twice — as a standardised linear term (a missing
// value gets the training mean plus a missing indicator) and as up to ten
// quantile bins, so plateaus and sentinel values such as pdays=999 get
// their own weight. "boosted" is gradient-boosted trees on histogram bins
// of the same columns (pure Go, deterministic for a seed). "auto", the
// default, fits both on an inner split of the training rows and keeps the
// one with the higher AUC there: measured on the data at hand, not
// assumed.
//
// Callers usually read a file with dataset.Open, but a dataset.Table can
// also be built in memory: set Columns (each with Name; Numeric and Nums
// for numbers, NaN where missing; Values for text) and Lines (one entry
// per row, the line number or any row identifier). Fit takes the row
// indexes to learn from and their outcomes; ScoreTable scores every row of
// a table with the same columns, matched by name.
//
// A fitted Model also remembers the training distribution of every
// feature, so Drift can warn when the rows being scored differ strongly
// from the rows it learned from, a score that would otherwise be quietly
// wrong.
package learn
