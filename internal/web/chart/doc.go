// Package chart draws the console's charts as SVG on the server: pure
// functions from numbers to markup, no JavaScript, so a chart shows in any
// browser, in a printed page and under the console's strict content
// security policy (no inline styles: colours are SVG presentation
// attributes, and every element has a class browse.css may refine).
//
// Every chart is an <svg role="img"> labelled by its own <title> and
// <desc>, and Evidence figures carry a visually-hidden table of their
// numbers after the drawing, so a screen reader gets the data, not a
// picture of it.
//
// Evidence turns a proposal's evidence into figures by conventions that
// skills follow when they name their series and facts (see the "Evidence
// charts" section of docs/proposals.md):
//
//   - a series whose x values are dates is a line chart over time;
//   - series named "NAME baseline low" and "NAME baseline high" draw the
//     usual range of NAME as a shaded band behind its line;
//   - a fact named "change point" (or "change point: NAME" for one
//     series) whose value is an x label draws a marker at that date;
//   - a categorical series with companions "NAME low" and "NAME high" is a
//     dot-and-whisker chart (an estimate with its interval); when NAME or
//     its unit says "lift" a reference line marks 1.0, no lift;
//   - any other categorical series is a bar chart.
//
// All text (series names come from data) is escaped; values that are not
// finite are skipped and values beyond ±1e300 are drawn at the edge, so
// no chart ever contains NaN or Inf.
package chart
