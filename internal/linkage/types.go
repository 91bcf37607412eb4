package linkage

import (
	"errors"
	"fmt"
	"time"
)

// Role says what a value is, whatever its column was called: the engine
// compares fields by role, so any CSV export or store can feed it.
type Role uint8

// The roles the engine compares. A role absent from every record is left
// out of the model; a value absent from one record weighs nothing.
const (
	GivenName Role = iota
	Surname
	Email
	Phone
	StreetNumber
	Address  // first address line (street)
	Address2 // second address line (building, locality)
	City     // city, suburb or town
	Postcode
	State // state or region
	DateOfBirth
	Company // account or company name
	// ExternalID is an identifier from another system (a national id, a
	// CRM id). It is compared only when the caller puts it in the records:
	// it nearly decides a match on its own, which hides every other field.
	ExternalID
	numRoles
)

var roleNames = [numRoles]string{"given_name", "surname", "email", "phone", "street_number",
	"address", "address_2", "city", "postcode", "state", "date_of_birth", "company", "external_id"}

// String is the role's name in output and in --col ROLE=COLUMN.
func (r Role) String() string {
	if r < numRoles {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", r)
}

// MarshalText lets roles be JSON keys and values.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// ParseRole reads a role name as String writes it.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (known: %v)", ErrUnknownRole, s, roleNames)
}

// Roles lists every role in comparison order.
func Roles() []Role {
	out := make([]Role, numRoles)
	for i := range out {
		out[i] = Role(i)
	}
	return out
}

// Record is one row to compare: an id unique within its table and its
// values by role, as received (the engine normalises them itself).
type Record struct {
	ID     string
	Fields map[Role]string
}

// Errors callers can test with errors.Is.
var (
	ErrDuplicateID = errors.New("the same record id appears twice")
	ErrUnknownRole = errors.New("unknown field role")
	ErrNoFields    = errors.New("no field to compare")
)

// Config tunes the engine; its zero value is the default for each field.
type Config struct {
	// Threshold is the match probability from which a pair is reported
	// and clustered. Default 0.9.
	Threshold float64
	// Seed drives the random pairs used to estimate u. Default 1.
	Seed uint64
	// USamplePairs is how many random pairs estimate u. Default 1,000,000
	// (or every pair, when there are fewer).
	USamplePairs int
	// MaxBlockSize: a blocking key shared by more records than this is
	// skipped (its pairs counted in Stats.SkippedPairs), because a block
	// of n records costs n²/2 comparisons. Default 250: the other rules
	// still pair most of those records through another key.
	MaxBlockSize int
	// MaxClusterSize caps clusters: links are added strongest first and a
	// link that would make a bigger cluster is dropped. Default 20.
	MaxClusterSize int
	// MinLinkProbability: two clusters are not joined when any record of
	// one, compared with any of the other, has a match probability below
	// this. It stops chains A–B–C where A and C are plainly different
	// people. Default 0.05.
	MinLinkProbability float64
	// TrainPairs: EM learns m from about this many candidate pairs (every
	// k-th block) rather than all of them; the patterns' shares, which are
	// all EM sees, settle long before. Default 5,000,000.
	TrainPairs int
	// EMIterations caps expectation–maximisation. Default 100.
	EMIterations int
	// NoTermFrequency turns off the adjustment that makes an exact match
	// on a rare value (surname "Zywicki") count more than one on a common
	// value ("Smith").
	NoTermFrequency bool
	// Workers compares pairs in parallel. Default GOMAXPROCS.
	Workers int
	// Progress, when set, is called now and then with the stage
	// ("blocking", "estimating", "scoring") and work done out of total.
	Progress func(stage string, done, total int64)
}

func (c Config) withDefaults() Config {
	if c.Threshold <= 0 || c.Threshold >= 1 {
		c.Threshold = 0.9
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.USamplePairs <= 0 {
		c.USamplePairs = 1_000_000
	}
	if c.MaxBlockSize <= 1 {
		c.MaxBlockSize = 250
	}
	if c.MaxClusterSize <= 1 {
		c.MaxClusterSize = 20
	}
	if c.MinLinkProbability <= 0 {
		c.MinLinkProbability = 0.05
	}
	if c.TrainPairs <= 0 {
		c.TrainPairs = 5_000_000
	}
	if c.EMIterations <= 0 {
		c.EMIterations = 100
	}
	return c
}

// Result is what Dedupe and Link return.
type Result struct {
	// Pairs at or above the threshold, most probable first.
	Pairs []Pair `json:"pairs"`
	// Clusters of two or more record ids believed to be one person, largest
	// first; in Link, ids of both tables mix (keep them distinct).
	Clusters [][]string `json:"clusters"`
	Model    Model      `json:"model"`
	Stats    Stats      `json:"stats"`
}

// Pair is two records judged likely the same person. In Link, A is from
// the left table and B from the right.
type Pair struct {
	A           string       `json:"a"`
	B           string       `json:"b"`
	Probability float64      `json:"probability"`
	Weight      float64      `json:"weight_bits"`
	Fields      []FieldMatch `json:"fields"`
}

// FieldMatch explains one field's part in a pair's weight.
type FieldMatch struct {
	Field  Role    `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight_bits"`
	A      string  `json:"a"`
	B      string  `json:"b"`
}

// Model is the fitted Fellegi–Sunter model.
type Model struct {
	// Prior is λ, the estimated share of candidate pairs that match.
	Prior      float64      `json:"prior"`
	Iterations int          `json:"em_iterations"`
	Converged  bool         `json:"em_converged"`
	Fields     []FieldModel `json:"fields"`
}

// FieldModel holds one field's levels.
type FieldModel struct {
	Field  Role         `json:"field"`
	Levels []LevelModel `json:"levels"`
}

// LevelModel is one comparison level with its m, u and weight in bits
// (log2 m/u). The "missing" level is not listed: it always weighs 0.
type LevelModel struct {
	Name   string  `json:"level"`
	M      float64 `json:"m"`
	U      float64 `json:"u"`
	Weight float64 `json:"weight_bits"`
}

// Stats counts the work done, so a caller can see what blocking skipped.
type Stats struct {
	Records        int              `json:"records"`
	CandidatePairs int64            `json:"candidate_pairs"`
	PairsByRule    map[string]int64 `json:"pairs_by_rule"`
	SkippedBlocks  int              `json:"skipped_blocks"`
	SkippedPairs   int64            `json:"skipped_pairs"`
	USamplePairs   int64            `json:"u_sample_pairs"`
	Patterns       int              `json:"distinct_patterns"`
	PairsAbove     int              `json:"pairs_above_threshold"`
	Clusters       int              `json:"clusters"`
	Elapsed        time.Duration    `json:"elapsed_ns"`
}
