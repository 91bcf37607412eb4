package demo

import (
	"fmt"
	"os"
	"path/filepath"
)

// agentsTOML is the demo's agent fleet: one agent per built-in skill that
// has planted problems to find.
const agentsTOML = `# The demo's agent fleet. Edit and run any tower command to apply it.
[[agent]]
name = "stale-consent"
skill = "stale-consent"
owner = "demo-ops"
description = "Re-permission old, silent e-mail opt-ins before they complain or bounce"
params = { max_proposals = 200 }

[[agent]]
name = "template-qa"
skill = "template-qa"
owner = "demo-ops"
description = "Review every e-mail template as its platform renders it, before it is sent"

[[agent]]
name = "link-audit"
skill = "link-audit"
owner = "demo-ops"
description = "Keep campaign landing links tagged as the UTM taxonomy says"

[[agent]]
name = "suppression-sync"
skill = "suppression-sync"
owner = "demo-ops"
description = "Carry every opt-out and complaint to the systems that missed it, inside the 48-hour deadline"
schedule = "17 6 * * *"

[[agent]]
name = "bounce-hygiene"
skill = "bounce-hygiene"
owner = "demo-ops"
description = "Suppress hard bounces everywhere, retire repeated soft bounces, flag malformed and role addresses"

[[agent]]
name = "dedupe"
skill = "dedupe"
owner = "demo-ops"
description = "Merge people entered twice, keeping the strictest suppression of each"

[[agent]]
name = "watch-email"
skill = "campaign-watch"
owner = "demo-ops"
description = "Watch every e-mail, webinar and sales-sequence campaign daily; halt one that draws complaints"
params = { channels = "email,webinar,sales_sequence" }

[[agent]]
name = "watch-paid"
skill = "campaign-watch"
owner = "demo-ops"
description = "Watch paid search, social, display and direct mail daily; move budget away from a campaign that fades"
params = { channels = "paid_search,paid_social,display,direct_mail" }

[[agent]]
name = "experiment-analyst"
skill = "experiment-analyst"
owner = "demo-ops"
description = "Call A/B test winners with a test that stays valid when checked daily, and move traffic to them"

[[agent]]
name = "segment-scout"
skill = "segment-scout"
owner = "demo-ops"
description = "Find groups of people who convert far above the rest, confirm them on people held out, and propose each new one as a segment"
params = { conversion_event = "Trial Started", min_size = 30 }
# Weekly in production; the demo searches once, today, rather than in
# each week of the replay.
schedule = "0 6 1 * *"

[[agent]]
name = "cross-sell"
skill = "cross-sell"
owner = "demo-ops"
description = "Ask account owners to offer the product their look-alike customers hold, with the offer running today"

[[agent]]
name = "next-best-action"
skill = "next-best-action"
owner = "demo-ops"
description = "Choose sales outreach, a nurture programme, the CSM or nothing for each account that matters now"
params = { model = "logistic" }

[[agent]]
name = "signal-router"
skill = "signal-router"
owner = "demo-ops"
description = "Send every demo request, trial, pricing-page streak and usage surge to the person who should act, within the hour for a demo request; escalate a follow-up left open past its deadline"
# Every 15 minutes in production; in the demo, three passes a working day
# keep the 28-day replay quick.
schedule = "5 8,12,16 * * 1-5"

[[agent]]
name = "license-auditor"
skill = "license-auditor"
owner = "demo-ops"
description = "Find idle and unassigned seats ahead of each renewal"
`

// WriteAgents writes agents/demo.toml into the workspace folder wsDir
// unless the workspace has one (a team's edits are kept).
func WriteAgents(wsDir string) error {
	path := filepath.Join(wsDir, "agents", "demo.toml")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("demo agents: %w", err)
	}
	if err := os.WriteFile(path, []byte(agentsTOML), 0o644); err != nil {
		return fmt.Errorf("demo agents: %w", err)
	}
	return nil
}
