// Package licenseauditor measures who uses the martech seats the company
// pays for, and is the built-in skill "license-auditor" that proposes
// cutting idle and unassigned seats before a renewal and consolidating
// tools that do the same job.
//
// A seat is reclaimable when nobody holds it (unassigned) or when its user
// has not been active for IdleDays (default 90, the tier Salesforce uses
// for auto-deactivation). Integration and API users hold seats too but
// never log in; they are listed apart and never counted as idle (DOMAIN
// §8). Coming to a renewal with these figures is what turns "we think we
// over-bought" into a number the vendor has to negotiate on.
package licenseauditor
