package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WriteKnowledge writes Tallyfield's knowledge folder into dir (a
// workspace's knowledge/ folder): its products, offers, messaging, brand
// rules and UTM taxonomy, each file owned by the team that would keep it.
// A file that already exists is left alone, so re-running the demo never
// overwrites a team's edits.
//
// The brand and UTM rules are the ones the demo's templates and campaigns
// break on purpose (a subject over 60 characters, "click here", an
// untagged tallyfield.io link), so template QA and the link audit have
// something real to find.
func WriteKnowledge(dir string) error {
	names := make([]string, 0, len(knowledgeFiles))
	for name := range knowledgeFiles {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing the demo knowledge folder: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("writing the demo knowledge file %s: %w", name, err)
		}
		_, err = f.WriteString(knowledgeFiles[name])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing the demo knowledge file %s: %w", name, err)
		}
	}
	return nil
}

// knowledgeFiles is the folder, by path relative to it. Dates fall in the
// 120 days before DefaultNow, so nothing is stale on the demo's "today".
var knowledgeFiles = map[string]string{
	"README.md": `# Tallyfield knowledge

What Tower's skills know about Tallyfield: products, offers, messaging, brand
rules and the UTM taxonomy. Each file says which team owns it (owner) and when
it was last reviewed (updated). Check your edits with ` + "`tower knowledge check`" + `.
`,

	"products.toml": `# Product truth: what Tallyfield sells. Skills read it instead of guessing.
owner = "product-marketing"
updated = 2026-10-06

[[product]]
id = "pipelines"
name = "Tallyfield Pipelines"
family = "platform"
solves = "Moves data from 200+ sources into the warehouse on schedule, and says so when a load is late."
for = "Data engineers and analytics engineers"
pairs_with = ["dashboards", "governance"]

[[product]]
id = "dashboards"
name = "Tallyfield Dashboards"
family = "platform"
solves = "Puts the numbers a team runs on in one place, refreshed from the warehouse."
for = "Analysts and the business leaders they report to"
pairs_with = ["pipelines", "ai-assist"]

[[product]]
id = "ai-assist"
name = "Tallyfield AI Assist"
family = "add-on"
solves = "Answers questions about the data in plain English, with the query it ran."
for = "Business users who do not write SQL"
pairs_with = ["dashboards"]

[[product]]
id = "embedded-analytics"
name = "Tallyfield Embedded"
family = "add-on"
solves = "Puts Tallyfield dashboards inside a customer's own product."
for = "Product and engineering teams at software companies"
pairs_with = ["dashboards", "security-review-kit"]

[[product]]
id = "governance"
name = "Tallyfield Governance"
family = "add-on"
solves = "Shows who can see which data, where it came from, and who changed it."
for = "Data governance leads and compliance teams"
pairs_with = ["pipelines", "security-review-kit"]

[[product]]
id = "security-review-kit"
name = "Security Review Kit"
family = "service"
solves = "Gives a buyer's security team the SOC 2 report, questionnaire answers and architecture notes in one pack."
for = "Security reviewers at enterprise prospects"
pairs_with = ["governance"]
`,

	"offers.toml": `# Offers a campaign may make. An offer past its end date must not be promised.
owner = "growth"
updated = 2026-10-14

[[offer]]
id = "business-trial-extension"
name = "Business trial extension"
product = "dashboards"
description = "Extends a Business trial by 14 days for teams that connected a data source."
audience = "Trial workspaces with a connected source and 3+ active users"
starts = 2026-10-01
ends = 2026-12-31

[[offer]]
id = "annual-prepay-discount"
name = "Annual prepay discount"
product = "pipelines"
description = "15% off the first year when paid annually up front."
audience = "Mid-market prospects in an open opportunity"
starts = 2026-07-01

[[offer]]
id = "ai-assist-launch-credit"
name = "AI Assist launch credit"
product = "ai-assist"
description = "The first 1,000 AI Assist questions at no charge for existing customers."
audience = "Customers on Dashboards"
starts = 2026-09-15
ends = 2026-11-30

[[offer]]
id = "summer-governance-bundle"
name = "Summer governance bundle"
product = "governance"
description = "Governance at half price for six months with a new Pipelines contract."
audience = "Enterprise prospects"
starts = 2026-06-01
ends = 2026-08-31

[[offer]]
id = "embedded-pilot"
name = "Embedded pilot"
product = "embedded-analytics"
description = "A 60-day Embedded pilot at no charge for customers already on Pipelines and Governance."
audience = "Customers on Pipelines and Governance"
starts = 2026-10-01
ends = 2027-01-31
`,

	"messaging/platform.toml": `# How we talk about the platform, by audience.
owner = "product-marketing"
updated = 2026-09-22

[[message]]
product = "pipelines"
audience = "data engineers"
headline = "Pipelines that tell you before the dashboard is wrong"
value_props = [
  "200+ connectors, maintained by Tallyfield",
  "Late or failed loads are flagged with the source and the rows affected",
  "Runs in your warehouse; no copy of your data kept",
]
proof_points = ["Logistics customers cut failed morning loads by two thirds in their first quarter"]
cta = "See the connector list"

[[message]]
product = "dashboards"
audience = "analytics leaders"
headline = "One set of numbers for every team"
value_props = ["Metrics defined once, reused everywhere", "Refreshed from the warehouse, not from spreadsheets"]
proof_points = ["Used by 1,400 teams to run their weekly business review"]
cta = "Book a walkthrough"

[[message]]
product = "governance"
audience = "data governance leads"
headline = "Know who sees what, and where it came from"
value_props = ["Column-level access rules", "Lineage from source to dashboard", "An audit trail your auditors can read"]
proof_points = ["Ships with the Security Review Kit for enterprise reviews"]
cta = "Read the governance guide"
`,

	"messaging/lifecycle.toml": `# Messages for trial and onboarding e-mails.
owner = "growth"
updated = 2026-10-20

[[message]]
product = "dashboards"
audience = "trial users"
headline = "Your first dashboard in ten minutes"
value_props = ["Connect a source, pick a template, share the link"]
proof_points = ["Most trial teams share a dashboard on day one"]
cta = "Start the tour"

[[message]]
product = "ai-assist"
audience = "business users"
headline = "Ask your data a question, get the answer and the query"
value_props = ["Plain-English questions", "Every answer shows the SQL it ran", "Respects your governance rules"]
proof_points = ["Answers checked against the same metric definitions as Dashboards"]
cta = "Try AI Assist"
`,

	"brand.toml": `# Brand rules every marketing e-mail is checked against.
owner = "brand"
updated = 2026-08-18
subject_max_chars = 60
postal_address = "548 Market St #90210, San Francisco, CA 94104"
require_unsubscribe = true
voice = [
  "Plain words over jargon: say what the product does.",
  "Numbers over adjectives: 200+ connectors, not countless connectors.",
  "Speak to data teams as peers; no hype.",
]

[[banned]]
phrase = "act now"
reason = "pressure tactic; say when the offer ends instead"

[[banned]]
phrase = "risk-free"
reason = "a claim legal will not stand behind; say what the trial includes"

[[banned]]
phrase = "guaranteed"
reason = "a promise of results we cannot make"

[[banned]]
phrase = "100% free"
reason = "spam-filter bait, and our plans are not free"

[[banned]]
phrase = "click here"
reason = "link text should say where it goes: describe the destination"

[[banned]]
phrase = "utilize"
reason = "plain words over jargon"
instead = "use"
`,

	"utm.toml": `# UTM taxonomy: every link to tallyfield.io carries these tags, in lower case.
owner = "marketing-ops"
updated = 2026-09-30
required = ["utm_source", "utm_medium", "utm_campaign"]
sources = ["braze", "iterable", "hubspot", "newsletter", "marketo", "google", "linkedin", "partner"]
mediums = ["email", "cpc", "paid-social", "social", "display", "referral", "sms", "webinar"]
campaign_pattern = '20[0-9]{2}-q[1-4]-[a-z0-9]+(-[a-z0-9]+)*'
tagged_domains = ["tallyfield.io"]
email_medium = "email"
lowercase = true

[source_by_esp]
braze = "braze"
iterable = "iterable"
hubspot = "hubspot"
generic = "newsletter"
marketo = "marketo"
` + channelTables(),
}

// channelTables writes [source_by_channel] and [medium_by_channel] from
// channelUTM, the tags the demo's campaign landing links carry, so the
// link audit proposes exactly the tags the clean links already have.
func channelTables() string {
	channels := make([]string, 0, len(channelUTM))
	for ch := range channelUTM {
		channels = append(channels, ch)
	}
	sort.Strings(channels)
	var src, med strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&src, "%s = %q\n", ch, channelUTM[ch][0])
		fmt.Fprintf(&med, "%s = %q\n", ch, channelUTM[ch][1])
	}
	return "\n# Tags of each campaign channel's landing links.\n[source_by_channel]\n" + src.String() +
		"\n[medium_by_channel]\n" + med.String()
}
