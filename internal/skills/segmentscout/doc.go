// Package segmentscout is the segment-scout skill: it looks for groups of
// people who convert far above everyone else and proposes each new one as
// a saved segment, written in Tower's segment language.
//
// Each run builds one row per person active in the window (a track event
// other than the conversion event): title words, country and region; the
// account's industry, tier, region, lifecycle stage and headcount; custom
// traits; and a count per event name. Package subgroup searches that table
// (up to three conditions per group), controls the false discovery rate
// over every group it tries, and keeps only groups that hold on people
// held out of the search. Protected characteristics are left out unless
// the agent allows them, and event names that are steps of converting
// (90% of the people doing them convert) are left out as leaks.
//
// A confirmed group already covered by a saved segment (80% of its people
// in it, or Jaccard overlap 0.7) is not proposed. The proposal key is the
// rule itself, so the runtime never holds two open proposals for one rule;
// skills cannot read past proposals, so a rejected rule can come back on a
// later run (see docs/segment-scout.md).
package segmentscout
