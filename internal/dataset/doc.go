// Package dataset reads any CSV export into columns for Tower's analyses
// (scores, segments, baskets, uplift). Exports come from many tools, so it
// sniffs the delimiter (comma, semicolon or tab), reads .gz files as they
// are, and decides per column whether it is numeric. A bad row is reported
// with its file, line and reason and left out; the rest proceeds.
package dataset
