// Package segmentscout is a built-in skill (being built).
package segmentscout
