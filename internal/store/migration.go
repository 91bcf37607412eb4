package store

import "time"

// Migration is one embedded schema change of a backend.
type Migration struct {
	Version   int    // from the file name: 0001_people.sql → 1
	Name      string // the file name
	Applied   bool
	AppliedAt time.Time // zero when not applied
}
