// Package nextbestaction is a built-in skill (being built).
package nextbestaction
