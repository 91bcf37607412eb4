package briefing

import (
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
)

// Text renders the digest as plain text for a terminal or a plain
// e-mail: a heading per section, one line per item, and the proposal
// ids to act on (tower proposals show ID).
func (d *Digest) Text() string { return d.TextWithout(nil) }

// TextWithout renders the text without the sections a person left out
// in their preferences.
func (d *Digest) TextWithout(leave map[Section]bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Briefing for %s (%s), %s to %s UTC\n", d.For, d.Role,
		d.Since.UTC().Format("2006-01-02 15:04"), d.At.UTC().Format("2006-01-02 15:04"))
	c := d.Counts
	fmt.Fprintf(&b, "%d waiting for you · %d proposed · %d executed (%d on their own) · %d rejected · %d expired · %d undone · %d failed\n",
		c.Waiting, c.Proposed, c.Executed, c.OnTheirOwn, c.Rejected, c.Expired, c.Undone, c.Failed)

	if !leave[SectionDecisions] {
		d.decisionsText(&b)
	}
	if !leave[SectionFlags] {
		d.flagsText(&b)
	}
	if !leave[SectionOnTheirOwn] {
		d.onTheirOwnText(&b)
	}
	if !leave[SectionAgents] {
		d.agentsText(&b)
	}
	if !leave[SectionAttention] {
		d.attentionText(&b)
	}
	if !leave[SectionScorecards] {
		d.scorecardText(&b)
	}
	if !leave[SectionValue] {
		d.valuesText(&b)
	}
	return b.String()
}

func (d *Digest) decisionsText(b *strings.Builder) {
	section(b, fmt.Sprintf("Waiting for your decision (%d)", d.Counts.Waiting), len(d.Decisions), "Nothing waits for you.")
	for _, it := range d.Decisions {
		line := fmt.Sprintf("  %s  %s — %s", it.ID, it.Title, it.Agent)
		if v := valueText(it.Value); v != "" {
			line += " · " + v
		}
		if !it.DueAt.IsZero() {
			line += " · due " + it.DueAt.UTC().Format("2006-01-02 15:04")
		}
		b.WriteString(line + "\n")
	}
}

func (d *Digest) flagsText(b *strings.Builder) {
	section(b, fmt.Sprintf("Flagged by agents (%d)", d.Counts.Flags), len(d.Flags), "No alerts or tasks.")
	for _, it := range d.Flags {
		fmt.Fprintf(b, "  %s  [%s] %s — %s\n", it.ID, it.Why, it.Title, it.Agent)
	}
}

func (d *Digest) onTheirOwnText(b *strings.Builder) {
	section(b, fmt.Sprintf("Done by agents on their own (%d)", d.Counts.OnTheirOwn), len(d.OnTheirOwn), "Agents did nothing on their own.")
	for _, it := range d.OnTheirOwn {
		fmt.Fprintf(b, "  %s  %s — %s, %s\n", it.ID, it.Title, it.Agent, it.At.UTC().Format("2006-01-02 15:04"))
	}
}

func (d *Digest) agentsText(b *strings.Builder) {
	section(b, "Agents", len(d.AgentChanges)+len(d.Stopped), "No agent was stopped, started, promoted or demoted.")
	for _, ch := range d.AgentChanges {
		b.WriteString("  " + ch.Agent + " " + changeText(ch, ch.At.UTC().Format("2006-01-02 15:04")) + "\n")
	}
	for _, s := range d.Stopped {
		b.WriteString("  " + s.Agent + " " + stoppedText(s) + "\n")
	}
}

// changeText says what changed after the agent's name: "promoted for
// suppress (approve → auto) by maria, 2026-03-10 09:00: clean record".
func changeText(ch AgentChange, at string) string {
	line := ch.Change
	if ch.Kind != "" {
		line += fmt.Sprintf(" for %s (%s → %s)", ch.Kind, ch.From, ch.To)
	}
	line += " by " + ch.By + ", " + at
	if ch.Reason != "" {
		line += ": " + ch.Reason
	}
	return line
}

// stoppedText says after the agent's name why it does not run.
func stoppedText(s StoppedAgent) string {
	line := fmt.Sprintf("is %s now", s.State)
	if s.Reason != "" {
		line += ": " + s.Reason
	}
	return line
}

func (d *Digest) valuesText(b *strings.Builder) {
	b.WriteString("\nValue delivered (estimated from what agents expected)\n")
	if d.Value.Proposals == 0 {
		b.WriteString("  Nothing was executed in this period.\n")
	} else {
		fmt.Fprintf(b, "  %s from %d executed proposals\n", valueText(proposal.Value{PipelineUSD: d.Value.PipelineUSD,
			SavingsUSD: d.Value.SavingsUSD, HoursSaved: d.Value.HoursSaved, Conversions: d.Value.Conversions}), d.Value.Proposals)
	}
	b.WriteString("\nValue realised (measured in this period)\n")
	r := d.Realised
	if v := valueText(proposal.Value{PipelineUSD: r.PipelineUSD, SavingsUSD: r.SavingsUSD, HoursSaved: r.HoursSaved, Conversions: r.Conversions}); r.Proposals == 0 {
		b.WriteString("  Nothing was measured in this period.\n")
	} else {
		fmt.Fprintf(b, "  %s from %d measured proposals\n", or(v, "nothing"), r.Proposals)
	}
}

func section(b *strings.Builder, title string, n int, none string) {
	b.WriteString("\n" + title + "\n")
	if n == 0 {
		b.WriteString("  " + none + "\n")
	}
}

// valueText says what a value is worth in words: "$12,400 pipeline,
// $300 saved, 2.5 hours saved".
func valueText(v proposal.Value) string {
	var parts []string
	if v.PipelineUSD != 0 {
		parts = append(parts, proposal.Dollars(v.PipelineUSD)+" pipeline")
	}
	if v.SavingsUSD != 0 {
		parts = append(parts, proposal.Dollars(v.SavingsUSD)+" saved")
	}
	if v.HoursSaved != 0 {
		h := trim(v.HoursSaved)
		if h == "0" || h == "-0" {
			h = "under 0.1" // a few minutes, not nothing
		}
		parts = append(parts, fmt.Sprintf("%s hours saved", h))
	}
	if v.Conversions != 0 {
		parts = append(parts, fmt.Sprintf("%s conversions", trim(v.Conversions)))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ")
}

func trim(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

// attentionText prints the agents that need attention.
func (d *Digest) attentionText(b *strings.Builder) {
	section(b, fmt.Sprintf("Agents that need attention (%d)", d.Counts.Attention), len(d.Attention),
		"None: every agent is accepted at least half the time, with few undos and failures.")
	for _, a := range d.Attention {
		fmt.Fprintf(b, "  %s: %s\n", a.Agent, strings.Join(a.Reasons, "; "))
	}
}

// scorecardText prints the week's scorecards, one line per agent.
func (d *Digest) scorecardText(b *strings.Builder) {
	section(b, fmt.Sprintf("Agents' scorecards, last %d days (%d)", int(ScorecardWindow.Hours()/24), d.Counts.Scored), len(d.Scorecards),
		"No agent proposed anything this week.")
	for _, c := range d.Scorecards {
		b.WriteString("  " + c.Key + ": " + cardSummary(c) + "\n")
	}
}

// cardSummary says an agent's week in a line: "6 proposals · 33%
// accepted of 6 decided · 2 carried out, 0% on its own, 0% undone".
func cardSummary(c measure.Card) string {
	line := fmt.Sprintf("%d proposals", c.Proposals)
	if c.Decided > 0 {
		line += fmt.Sprintf(" · %s accepted of %d decided", percent(c.AcceptRate), c.Decided)
	}
	if c.Executed > 0 {
		line += fmt.Sprintf(" · %d carried out, %s on its own, %s undone", c.Executed, percent(c.AutonomousShare), percent(c.UndoRate))
	}
	if c.Failed > 0 {
		line += fmt.Sprintf(" · %d failed", c.Failed)
	}
	return line
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
