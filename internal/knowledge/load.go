package knowledge

import "errors"

// Load reads and validates the knowledge folder dir. A folder that does
// not exist is an empty Set with the default brand and UTM layers. Every
// problem is collected and returned as *LoadError.
func Load(dir string) (*Set, error) {
	return nil, errors.New("knowledge.Load: not implemented yet")
}
