package briefing

import (
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// RenderOptions shape a briefing sent to a person.
type RenderOptions struct {
	// ConsoleURL is the console's public address; links are made
	// absolute against it. Empty: no links, proposal ids instead.
	ConsoleURL string
	// LeaveOut are sections the person does not want.
	LeaveOut map[Section]bool
	// Location shows times in the person's zone (default UTC).
	Location *time.Location
}

// outline is the digest laid out once for every rich renderer (Slack,
// HTML): parts with lines of plain text and links. It holds raw text;
// each renderer escapes it for its own format, so nothing a contact,
// a template or an agent wrote is ever read as markup or as a command.
type outline struct {
	Heading string
	Period  string
	Summary string
	Parts   []part
	// Console is the console's briefing page, or "".
	Console string
}

type part struct {
	Key   Section
	Title string
	Lines []line
	// None is said when there are no lines.
	None string
	// More counts items the digest holds beyond its lists.
	More int
}

// line is Before, then Label (linked to Link when there is one), then After.
type line struct {
	Before, Label, Link, After string
}

func (o RenderOptions) at(t time.Time) string {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 15:04 MST")
}

func (o RenderOptions) link(path string) string {
	if o.ConsoleURL == "" || path == "" {
		return ""
	}
	return strings.TrimRight(o.ConsoleURL, "/") + path
}

// item is a proposal's line: its title linked to its page, or its id
// before the title when there is no console address.
func (o RenderOptions) item(it Item, before, after string) line {
	l := line{Before: before, Label: it.Title, Link: o.link(it.Link), After: after}
	if l.Link == "" {
		l.Before += it.ID + "  "
	}
	return l
}

func (d *Digest) outline(o RenderOptions) outline {
	c := d.Counts
	out := outline{
		Heading: "Tower briefing for " + d.For,
		Period:  o.at(d.Since) + " to " + o.at(d.At),
		Summary: fmt.Sprintf("%d waiting for you · %d proposed · %d executed (%d on their own) · %d rejected · %d expired · %d undone · %d failed",
			c.Waiting, c.Proposed, c.Executed, c.OnTheirOwn, c.Rejected, c.Expired, c.Undone, c.Failed),
		Console: o.link("/briefing"),
	}
	add := func(p part) {
		if !o.LeaveOut[p.Key] {
			out.Parts = append(out.Parts, p)
		}
	}

	p := part{Key: SectionDecisions, Title: fmt.Sprintf("Waiting for your decision (%d)", c.Waiting), None: "Nothing waits for you.",
		More: c.Waiting - len(d.Decisions)}
	for _, it := range d.Decisions {
		after := " — " + it.Agent
		if v := valueText(it.Value); v != "" {
			after += " · " + v
		}
		if !it.DueAt.IsZero() {
			after += " · due " + o.at(it.DueAt)
		}
		p.Lines = append(p.Lines, o.item(it, "", after))
	}
	add(p)

	p = part{Key: SectionFlags, Title: fmt.Sprintf("Flagged by agents (%d)", c.Flags), None: "No alerts or tasks.", More: c.Flags - len(d.Flags)}
	for _, it := range d.Flags {
		p.Lines = append(p.Lines, o.item(it, "["+it.Why+"] ", " — "+it.Agent))
	}
	add(p)

	p = part{Key: SectionOnTheirOwn, Title: fmt.Sprintf("Done by agents on their own (%d)", c.OnTheirOwn), None: "Agents did nothing on their own.",
		More: c.OnTheirOwn - len(d.OnTheirOwn)}
	for _, it := range d.OnTheirOwn {
		p.Lines = append(p.Lines, o.item(it, "", " — "+it.Agent+", "+o.at(it.At)))
	}
	add(p)

	p = part{Key: SectionAgents, Title: "Agents", None: "No agent was stopped, started, promoted or demoted."}
	for _, ch := range d.AgentChanges {
		p.Lines = append(p.Lines, line{Label: ch.Agent, Link: o.link(ch.Link), After: " " + changeText(ch, o.at(ch.At))})
	}
	for _, s := range d.Stopped {
		p.Lines = append(p.Lines, line{Label: s.Agent, Link: o.link(s.Link), After: " " + stoppedText(s)})
	}
	add(p)

	p = part{Key: SectionAttention, Title: fmt.Sprintf("Agents that need attention (%d)", c.Attention),
		None: "None: every agent is accepted at least half the time, with few undos and failures.", More: c.Attention - len(d.Attention)}
	for _, a := range d.Attention {
		p.Lines = append(p.Lines, line{Label: a.Agent, Link: o.link(a.Link), After: ": " + strings.Join(a.Reasons, "; ")})
	}
	add(p)

	p = part{Key: SectionScorecards, Title: fmt.Sprintf("Agents' scorecards, last %d days (%d)", int(ScorecardWindow.Hours()/24), c.Scored),
		None: "No agent proposed anything this week.", More: c.Scored - len(d.Scorecards)}
	for _, card := range d.Scorecards {
		p.Lines = append(p.Lines, line{Label: card.Key, Link: o.link("/agents/" + card.Key), After: ": " + cardSummary(card)})
	}
	add(p)

	p = part{Key: SectionValue, Title: "Value delivered"}
	if d.Value.Proposals == 0 {
		p.Lines = append(p.Lines, line{Before: "Estimated: nothing was executed in this period."})
	} else {
		v := valueText(proposal.Value{PipelineUSD: d.Value.PipelineUSD, SavingsUSD: d.Value.SavingsUSD,
			HoursSaved: d.Value.HoursSaved, Conversions: d.Value.Conversions})
		p.Lines = append(p.Lines, line{Before: fmt.Sprintf("Estimated: %s from %d executed proposals", or(v, "nothing"), d.Value.Proposals)})
	}
	r := d.Realised
	if r.Proposals == 0 {
		p.Lines = append(p.Lines, line{Before: "Measured: nothing was measured in this period."})
	} else {
		v := valueText(proposal.Value{PipelineUSD: r.PipelineUSD, SavingsUSD: r.SavingsUSD, HoursSaved: r.HoursSaved, Conversions: r.Conversions})
		p.Lines = append(p.Lines, line{Before: fmt.Sprintf("Measured: %s from %d measured proposals", or(v, "nothing"), r.Proposals)})
	}
	add(p)
	return out
}

// Subject is the e-mail subject and Slack fallback: "Tower briefing: 3
// decisions waiting".
func (d *Digest) Subject() string {
	switch n := d.Counts.Waiting; n {
	case 0:
		return "Tower briefing: no decisions waiting"
	case 1:
		return "Tower briefing: 1 decision waiting"
	default:
		return fmt.Sprintf("Tower briefing: %d decisions waiting", n)
	}
}
