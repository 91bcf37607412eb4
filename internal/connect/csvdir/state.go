package csvdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// Headers of files a push creates.
var (
	peopleHeader  = []string{"system", "system_id", "email", "first_name", "last_name"}
	consentHeader = []string{"system", "system_id", "email", "channel", "status", "reason", "at"}
	mergesHeader  = []string{"system_id", "into_id", "key", "at"}
)

// fact is the newest consent fact for one subject and channel.
type fact struct {
	status foundation.ConsentStatus
	reason string
	at     time.Time
}

type subject struct {
	who     string // "id:…" or "email:…"
	channel foundation.Channel
}

func subjectOf(systemID, email string, ch foundation.Channel) subject {
	if systemID != "" {
		return subject{"id:" + systemID, ch}
	}
	return subject{"email:" + foundation.NormalizeEmail(email), ch}
}

// folder is what a push reads before it writes: the files as tables, and
// what they say now.
type folder struct {
	people    *table         // nil when people.csv does not exist
	rowOf     map[string]int // system_id → index in people.rows, this system's rows
	consent   *table         // nil when consent.csv does not exist
	newest    map[subject]fact
	merges    *table
	mergeKeys map[string]bool
	mergedTo  map[string]string
}

// readErr classifies a failure to read a file: the file system failing
// may pass (retryable); a file that is not usable CSV needs a person.
func readErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return connect.Temporary(fmt.Errorf("csvdir: %w", err), 0)
	}
	return fmt.Errorf("csvdir: %w", err)
}

func (c *Connector) load() (*folder, error) {
	f := &folder{rowOf: map[string]int{}, newest: map[subject]fact{}, mergeKeys: map[string]bool{}, mergedTo: map[string]string{}}
	var err error
	if f.people, _, err = readTable(c.path(PeopleFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, readErr(err)
	}
	if f.people != nil {
		if !f.people.has("system_id") {
			return nil, fmt.Errorf("csvdir: %s: line 1: the column system_id is missing", PeopleFile)
		}
		for i, r := range f.people.rows {
			if c.ours(f.people, r) {
				f.rowOf[f.people.col(r, "system_id")] = i
			}
		}
	}
	if f.consent, _, err = readTable(c.path(ConsentFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, readErr(err)
	}
	if f.consent != nil {
		if err := consentHeaderOK(f.consent); err != nil {
			return nil, err
		}
		for _, r := range f.consent.rows {
			if !c.ours(f.consent, r) {
				continue
			}
			fc, p := c.factOf(f.consent, r)
			if p != nil {
				continue // a bad row says nothing; a pull reports it
			}
			s := subjectOf(fc.SystemID, fc.Email, fc.Channel)
			// The newest fact wins; on a tie the later row does.
			if old, ok := f.newest[s]; !ok || !fc.At.Before(old.at) {
				f.newest[s] = fact{fc.Status, fc.Reason, fc.At}
			}
		}
	}
	if f.merges, _, err = readTable(c.path(MergesFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, readErr(err)
	}
	if f.merges != nil {
		for _, r := range f.merges.rows {
			f.mergeKeys[f.merges.col(r, "key")] = true
			f.mergedTo[f.merges.col(r, "system_id")] = f.merges.col(r, "into_id")
		}
	}
	return f, nil
}
