// Package crosssell is a built-in skill (being built).
package crosssell
