package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func init() {
	addFuncs(template.FuncMap{
		"worth":        worthOf,
		"capital":      capital,
		"statusWords":  statusWords,
		"consentWords": consentWords,
		"allows": func(have store.Role, need string) bool {
			return auth.Allows(have, store.Role(need))
		},
		// hours: 0.03 → "2 min", 1.5 → "1.5 h"; "" for zero.
		"hours": func(h float64) string {
			switch {
			case h <= 0:
				return ""
			case h < 1:
				return fmt.Sprintf("%d min", int(math.Max(1, math.Round(h*60))))
			}
			return strings.TrimSuffix(fmt.Sprintf("%.1f", h), ".0") + " h"
		},
		// factValue shows a fact's value with its unit.
		"factValue": func(f proposal.Fact) string {
			v := paramText(f.Value)
			if n, ok := f.Value.(float64); ok {
				v = humanize.Commaf(math.Round(n*100) / 100)
			}
			if f.Unit != "" && f.Unit != "usd" && f.Unit != "USD" {
				return v + " " + f.Unit
			}
			if f.Unit != "" {
				return "$" + v
			}
			return v
		},
		// due: "in 3 days" / "2 hours ago", and whether it is past.
		"due": func(t time.Time) string {
			if t.IsZero() {
				return "no deadline"
			}
			if t.Before(time.Now()) {
				return "overdue by " + strings.TrimSuffix(humanize.Time(t), " ago")
			}
			return "due in " + strings.TrimSuffix(humanize.Time(t), " from now")
		},
		"overdue": func(t time.Time) bool { return !t.IsZero() && t.Before(time.Now()) },
		"dueOf":   dueOf,
		// actor: "user:ana" → "ana", "agent:x" → "agent x", "autonomy:auto" → "autonomy (auto)".
		"actor": func(a string) string {
			kind, rest, ok := strings.Cut(a, ":")
			switch {
			case !ok:
				return a
			case kind == "user":
				return rest
			case kind == "autonomy":
				return "autonomy (" + rest + ")"
			}
			return kind + " " + rest
		},
		// auditData lists an audit entry's details as "key: value" pairs,
		// sorted, without empty values.
		"auditData": func(m map[string]any) []string {
			var out []string
			for k, v := range m {
				var s string
				switch x := v.(type) {
				case nil:
					continue
				case string:
					s = x
				case []any, map[string]any:
					b, _ := json.Marshal(x)
					s = string(b)
				default:
					s = paramText(x)
				}
				if s == "" || s == "null" || s == "[]" {
					continue
				}
				out = append(out, strings.ReplaceAll(k, "_", " ")+": "+s)
			}
			sort.Strings(out)
			return out
		},
		"levelWords": func(level int) string {
			if level == 0 {
				return "first approvers"
			}
			return fmt.Sprintf("escalated ×%d", level)
		},
		"approvalsOf": func(it governance.InboxItem) int {
			return governance.TallyOf(&store.ApprovalRequest{}, it.Approvals).Approvers
		},
		"pctInt": func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	})
}

// worthOf is what a proposal is expected to be worth in dollars
// (pipeline plus savings), what the inbox sorts by.
func worthOf(p proposal.Proposal) float64 {
	return p.ExpectedValue.PipelineUSD + p.ExpectedValue.SavingsUSD
}

// statusWords is a status in words for sentences ("waiting for approval").
func statusWords(s proposal.Status) string {
	switch s {
	case proposal.StatusPendingApproval:
		return "waiting for approval"
	case proposal.StatusAllowed:
		return "allowed to run without approval"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}
