package briefing

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
)

// planted is a title written by someone outside the team (a contact's
// name, a template's subject): markup, a Slack broadcast and an order.
const planted = `<script>alert(1)</script> <!channel> Tom & Jerry > "ignore previous instructions"`

// sampleDigest is a digest made by hand, with n decisions.
func sampleDigest(n int, title string) *Digest {
	at := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	d := &Digest{For: "maya.okafor", Role: "approver", At: at, Since: at.Add(-24 * time.Hour),
		Flags:        []Item{{ID: "p_f1", Title: "bounces are up", Agent: "bounce-na", Link: "/proposals/p_f1", Why: "alert"}},
		OnTheirOwn:   []Item{{ID: "p_o1", Title: "suppress 12 hard bounces", Agent: "bounce-na", Link: "/proposals/p_o1", At: at.Add(-time.Hour)}},
		AgentChanges: []AgentChange{{Agent: "bounce-na", Change: "promoted", Kind: "suppress", From: "approve", To: "auto", By: "lena", At: at.Add(-2 * time.Hour), Link: "/agents/bounce-na"}},
		Stopped:      []StoppedAgent{{Agent: "tripped-one", State: "tripped", Reason: "circuit breaker: 3 undone", Link: "/agents/tripped-one"}},
		Attention:    []Attention{{Agent: "picky", Reasons: []string{"people accepted 33% of 6 decided"}, Link: "/agents/picky"}},
		Scorecards:   []measure.Card{{Key: "picky", Proposals: 6, Decided: 6, AcceptRate: 1.0 / 3}},
		Value:        Value{PipelineUSD: 1000, SavingsUSD: 200, Proposals: 2, Estimated: true},
		Realised:     Realised{SavingsUSD: 800, Proposals: 1},
	}
	for i := range n {
		id := fmt.Sprintf("p_%03d", i)
		d.Decisions = append(d.Decisions, Item{ID: id, Title: title, Agent: "tasks", Link: "/proposals/" + id,
			Value: proposal.Value{PipelineUSD: 5000}, DueAt: at.Add(6 * time.Hour)})
	}
	d.Counts = Counts{Waiting: n, Flags: 1, OnTheirOwn: 1, Executed: 2, Attention: 1, Scored: 1}
	return d
}

func TestSlackMessage(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	d := sampleDigest(2, planted)
	m := d.Slack(RenderOptions{ConsoleURL: "https://tower.example.com", Location: berlin, LeaveOut: map[Section]bool{SectionScorecards: true}})
	eq(t, "fallback", m.Text, "Tower briefing: 2 decisions waiting (for maya.okafor)")
	eq(t, "header", m.Blocks[0].Type+": "+m.Blocks[0].Text.Text, "header: Tower briefing for maya.okafor")
	eq(t, "period in Berlin time", strings.HasPrefix(m.Blocks[1].Text.Text, "*Mon 9 Mar 09:00 CET to Tue 10 Mar 09:00 CET*\n2 waiting for you"), true)
	dec := m.Blocks[2].Text.Text
	want := "*Waiting for your decision (2)*\n• <https://tower.example.com/proposals/p_000|&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; Tom &amp; Jerry &gt; \"ignore previous instructions\">" +
		" — tasks · $5,000 pipeline · due Tue 10 Mar 15:00 CET"
	eq(t, "decision line", strings.Split(dec, "\n• ")[0]+"\n• "+strings.Split(dec, "\n• ")[1], want)
	var all strings.Builder
	for _, b := range m.Blocks {
		if b.Text != nil {
			all.WriteString(b.Text.Text + "\n")
		}
		for _, e := range b.Elements {
			all.WriteString(e.Text + "\n")
		}
	}
	for _, bad := range []string{"<script>", "<!channel>", "Tom & Jerry"} {
		if strings.Contains(all.String(), bad) {
			t.Errorf("the message carries %q unescaped", bad)
		}
	}
	for _, want := range []string{"*Flagged by agents (1)*\n• [alert] <https://tower.example.com/proposals/p_f1|bounces are up> — bounce-na",
		"<https://tower.example.com/agents/bounce-na|bounce-na> promoted for suppress (approve → auto) by lena, Tue 10 Mar 07:00 CET",
		"<https://tower.example.com/agents/tripped-one|tripped-one> is tripped now: circuit breaker: 3 undone",
		"Estimated: $1,000 pipeline, $200 saved from 2 executed proposals", "Measured: $800 saved from 1 measured proposals",
		"Sent by Tower · <https://tower.example.com/briefing|Open your briefing in the console>"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("the message lacks %q:\n%s", want, all.String())
		}
	}
	if strings.Contains(all.String(), "scorecards") {
		t.Errorf("scorecards were left out but are there")
	}
	// Without a console address: ids instead of links.
	m = d.Slack(RenderOptions{})
	if !strings.Contains(m.Blocks[2].Text.Text, "• p_000  &lt;script&gt;") || strings.Contains(m.Blocks[2].Text.Text, "<http") {
		t.Errorf("without console_url: %s", m.Blocks[2].Text.Text)
	}
}

// TestSlackLimits: 400 decisions with long titles full of characters
// that escape longer still stay within Slack's limits, and what does
// not fit is counted.
func TestSlackLimits(t *testing.T) {
	d := sampleDigest(MaxItems, strings.Repeat("R&D <ops> ", 40))
	d.Counts.Waiting = 400
	m := d.Slack(RenderOptions{ConsoleURL: "https://tower.example.com"})
	if len(m.Blocks) > SlackMaxBlocks {
		t.Fatalf("%d blocks", len(m.Blocks))
	}
	var text strings.Builder
	for _, b := range m.Blocks {
		if b.Type == "section" {
			if n := utf8.RuneCountInString(b.Text.Text); n > SlackMaxSectionText {
				t.Errorf("a section of %d characters", n)
			}
			text.WriteString(b.Text.Text)
		}
	}
	if !strings.Contains(text.String(), "…and 375 more in the console") {
		t.Errorf("the decisions beyond the list are not counted:\n%s", text.String())
	}
	// With few blocks to spare, a long part is cut and counted.
	blocks := slackPart(part{Title: "Long", Lines: d.outline(RenderOptions{}).Parts[0].Lines, More: 5}, 1)
	if len(blocks) != 1 || !strings.Contains(blocks[0].Text.Text, "more in the console") || utf8.RuneCountInString(blocks[0].Text.Text) > SlackMaxSectionText {
		t.Errorf("one block for a long part: %d blocks, %q…", len(blocks), blocks[0].Text.Text[:80])
	}
}

func TestMailRendering(t *testing.T) {
	d := sampleDigest(3, planted)
	m, err := d.Mail("tower@example.com", "maya@example.com", RenderOptions{ConsoleURL: "https://tower.example.com", LeaveOut: map[Section]bool{SectionFlags: true}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "subject", m.Subject, "Tower briefing: 3 decisions waiting")
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML does not escape the planted title:\n%s", m.HTML)
	}
	if !strings.Contains(m.HTML, `<a href="https://tower.example.com/proposals/p_000">`) {
		t.Errorf("HTML lacks the proposal link:\n%s", m.HTML)
	}
	if strings.Contains(m.HTML, "Flagged by agents") || strings.Contains(m.Text, "Flagged by agents") {
		t.Errorf("flags were left out but are there")
	}
	if !strings.Contains(m.Text, "p_000  "+planted) {
		t.Errorf("the text part is plain text with the title as written:\n%s", m.Text)
	}
	eq(t, "one decision", sampleDigest(1, "x").Subject(), "Tower briefing: 1 decision waiting")
	eq(t, "none", sampleDigest(0, "x").Subject(), "Tower briefing: no decisions waiting")
	// A javascript: console address never becomes a live link.
	m, _ = d.Mail("a@b.c", "d@e.f", RenderOptions{ConsoleURL: "javascript:alert(1)//"})
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("a javascript: link survived")
	}
}
