// Package signalrouter is a built-in skill (being built).
package signalrouter
