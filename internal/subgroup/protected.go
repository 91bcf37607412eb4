package subgroup

import (
	"strings"
	"unicode"
)

// protectedWords are column-name words that describe protected
// characteristics: the bases of US fair-housing, credit and employment law
// (race, colour, religion, sex, national origin, familial or marital
// status, age, disability) and the special categories of GDPR Article 9
// (ethnic origin, political opinions, beliefs, trade-union membership,
// genetic, biometric and health data, sex life and sexual orientation).
// Segments built on them can amount to discriminatory targeting, and
// Meta's special ad categories forbid narrowing by age or gender outright.
var protectedWords = map[string]string{
	"age": "age", "birth": "age", "birthdate": "age", "birthday": "age", "dob": "age", "born": "age",
	"sex": "sex", "gender": "sex",
	"race": "race", "racial": "race", "ethnic": "ethnic origin", "ethnicity": "ethnic origin",
	"religion": "religion", "religious": "religion", "belief": "religion", "beliefs": "religion",
	"nationality": "national origin", "citizenship": "national origin",
	"marital": "marital status", "familial": "familial status", "pregnant": "familial status", "pregnancy": "familial status",
	"disability": "disability", "disabled": "disability", "health": "health", "medical": "health",
	"political": "political opinions", "politics": "political opinions",
	"union": "trade-union membership", "genetic": "genetic data", "biometric": "biometric data",
	"orientation": "sexual orientation", "sexuality": "sexual orientation",
}

// Protected reports whether a column name describes a protected
// characteristic, and which. It matches whole words of the name
// ("age", "Marital Status", "customer_gender"), so "page_views" and
// "usage" are not caught.
func Protected(column string) (string, bool) {
	words := strings.FieldsFunc(strings.ToLower(column), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		if why, ok := protectedWords[w]; ok {
			return why, true
		}
	}
	return "", false
}
