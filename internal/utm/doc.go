// Package utm finds links in templates and audits them against the
// workspace's UTM taxonomy, and writes the correctly tagged URL a fix
// proposes.
package utm
