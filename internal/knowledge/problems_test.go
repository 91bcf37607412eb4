package knowledge

import (
	"fmt"
	"strings"
	"testing"
)

// want is one expected problem: file, line, field and a piece of the
// reason.
type want struct {
	file  string
	line  int
	field string
	says  string
}

// checkProblems asserts the problems are exactly want, in order.
func checkProblems(t *testing.T, got []Problem, wants []want) {
	t.Helper()
	var b strings.Builder
	for _, p := range got {
		fmt.Fprintf(&b, "\n  %s", p)
	}
	if len(got) != len(wants) {
		t.Fatalf("%d problems, want %d:%s", len(got), len(wants), b.String())
	}
	for i, w := range wants {
		p := got[i]
		if p.File != w.file || p.Line != w.line || p.Field != w.field || !strings.Contains(p.Reason, w.says) {
			t.Errorf("problem %d is %q; want %s:%d: %s: …%s…", i+1, p, w.file, w.line, w.field, w.says)
		}
	}
}

// TestEveryProblemIsReported plants one of each problem across files and
// expects all of them, each at its file, line and field.
func TestEveryProblemIsReported(t *testing.T) {
	dir := write(t, map[string]string{
		"products.toml": `owner = "product-marketing"
updated = 2026-10-01

[[product]]
id = "pipelines"
name = "Pipelines"
pairswith = ["dashboards"]

[[product]]
id = "Dashboards Pro"
name = "Dashboards"
pairs_with = [
  "pipelines",
  "warehouse",
]

[[product]]
name = "No id"
`,
		"products/embedded.toml": `owner = "partnerships"
updated = 2026-09-01

[[product]]
id = "pipelines"
name = "Pipelines again"
`,
		"offers.toml": `updated = 2026-12-25

[[offer]]
id = "prepay"
name = "Annual prepay"
product = "governance"
starts = 2026-06-01
ends = 2026-05-01

[[offer]]
id = "trial"
product = "pipelines"
starts = "2026-06-01"
`,
		"messaging/a.toml": `owner = "growth"
updated = 2026-10-01

[[message]]
product = "pipelines"
audience = "data engineers"

[[message]]
product = "pipelines"
audience = "data engineers"
headline = "Same pair again"
`,
		"brand.toml": `owner = "brand"
updated = 2026-10-01
subject_max_chars = -1
require_unsubscribe = "yes"

[[banned]]
reason = "no phrase"

[[banned]]
phrase = "Act now"

[[banned]]
phrase = "act now"
`,
		"utm.toml": `owner = "marketing-ops"
updated = 2026-10-01
required = ["utm_source", "source"]
sources = ["Braze", "newsletter"]
mediums = ["email"]
campaign_pattern = '20[0-9]{2}-q[1-4'
tagged_domains = ["https://tallyfield.io/pricing", "tallyfield.io"]
email_medium = "e-mail"

[source_by_esp]
generic = "hubspot"

[medium_by_channel]
paid-search = "cpc"
email = "Email"
`,
		"pricing.toml":     "owner = \"x\"\n",
		"brand/extra.toml": "",
		"notes.md":         "skipped",
		".gitkeep":         "",
	})
	checkProblems(t, problemsOf(t, dir), []want{
		{"brand.toml", 3, "subject_max_chars", "negative"},
		{"brand.toml", 4, "require_unsubscribe", "true or false"},
		{"brand.toml", 6, "banned.phrase", "is required"},
		{"brand.toml", 13, "banned.phrase", `"act now" is already banned at brand.toml:10`},
		{"brand/", 0, "", "one file: brand.toml"},
		{"messaging/a.toml", 4, "message.headline", "is required"},
		{"messaging/a.toml", 10, "message.audience", "already at messaging/a.toml:4"},
		{"offers.toml", 0, "owner", "is required"},
		{"offers.toml", 1, "updated", "2026-12-25 is in the future"},
		{"offers.toml", 6, "offer.product", `unknown product "governance"`},
		{"offers.toml", 8, "offer.ends", "ends (2026-05-01) before it starts (2026-06-01)"},
		{"offers.toml", 10, "offer.name", "is required"},
		{"offers.toml", 13, "offer.starts", "without quotes"},
		{"pricing.toml", 0, "", "not a knowledge layer; expected one of"},
		{"products.toml", 7, "product.pairswith", "unknown key; expected one of id, name, family, solves, for, pairs_with"},
		{"products.toml", 10, "product.id", `"Dashboards Pro" must be a short lower-case id`},
		{"products.toml", 14, "product.pairs_with", `unknown product "warehouse"`},
		{"products.toml", 17, "product.id", "is required"},
		{"products/embedded.toml", 5, "product.id", `duplicate product id "pipelines"; first defined at products.toml:5`},
		{"utm.toml", 3, "required", `"source" is not a UTM parameter`},
		{"utm.toml", 4, "sources", `"Braze" must be lower-case`},
		{"utm.toml", 6, "campaign_pattern", "not a valid regular expression"},
		{"utm.toml", 7, "tagged_domains", `write "tallyfield.io"`},
		{"utm.toml", 8, "email_medium", `"e-mail" is not one of the allowed mediums: email`},
		{"utm.toml", 11, "source_by_esp.generic", `"hubspot" is not one of the allowed sources`},
		{"utm.toml", 14, "medium_by_channel.paid-search", `"paid-search" is not a campaign channel; expected one of email, paid_search`},
		{"utm.toml", 15, "medium_by_channel.email", `"Email" must be lower-case`},
	})
}

func TestSyntaxErrorHasItsLine(t *testing.T) {
	dir := write(t, map[string]string{
		"products.toml": "owner = \"pm\"\nupdated = 2026-10-01\n\n[[product]]\nid = \"pipelines\nname = \"x\"\n",
		"offers.toml":   "owner = \"growth\"\nupdated = 2026-10-01\nowner = \"again\"\n",
	})
	checkProblems(t, problemsOf(t, dir), []want{
		{"offers.toml", 3, "", "not valid TOML"},
		{"products.toml", 5, "", "not valid TOML"},
	})
}

func TestWrongShapes(t *testing.T) {
	dir := write(t, map[string]string{
		"products.toml": `owner = 7
updated = 2026-10-01
product = "pipelines"
`,
		"messaging/b.toml": `owner = "growth"
updated = 2026-10-01
[[message]]
product = "pipelines"
headline = "h"
value_props = "one"
proof_points = ["a", 2]
`,
		"messaging/notes.txt": "x",
		"archive/old.toml":    "x",
	})
	checkProblems(t, problemsOf(t, dir), []want{
		{"archive/", 0, "", "folder is not a knowledge layer"},
		{"messaging/b.toml", 4, "message.product", `unknown product "pipelines"`},
		{"messaging/b.toml", 6, "message.value_props", "must be a list"},
		{"messaging/b.toml", 7, "message.proof_points", "entry 2 must be text"},
		{"messaging/notes.txt", 0, "", "must end in .toml"},
		{"products.toml", 1, "owner", "must be text"},
		{"products.toml", 3, "product", "[[product]] blocks"},
	})
}
