package briefing

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Slack's published limits for an incoming-webhook message
// (api.slack.com/reference/block-kit/blocks).
const (
	SlackMaxBlocks      = 50
	SlackMaxSectionText = 3000
	SlackMaxHeaderText  = 150
	// slackMaxLine keeps one runaway title from filling a section: a
	// line's three pieces, each escaped (at worst five times longer),
	// stay under a section's limit.
	slackMaxLine = 180
)

// SlackMessage is the JSON body posted to an incoming webhook: text is
// the fallback shown in notifications, blocks the message itself.
type SlackMessage struct {
	Text   string       `json:"text"`
	Blocks []SlackBlock `json:"blocks"`
}

// SlackBlock is a Block Kit block: header, section, divider or context.
type SlackBlock struct {
	Type     string      `json:"type"`
	Text     *SlackText  `json:"text,omitempty"`
	Elements []SlackText `json:"elements,omitempty"`
}

// SlackText is a text object, plain_text or mrkdwn.
type SlackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// SlackEscape escapes the three characters Slack reads as control
// sequences in message text (&, <, >), so a name such as "<!channel>"
// from a contact record shows as written instead of pinging a channel.
func SlackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackURL keeps a link's address from ending the <url|label> syntax early.
func slackURL(u string) string {
	return strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20", "&", "&amp;").Replace(u)
}

func (l line) mrkdwn() string {
	label := shorten(l.Label, slackMaxLine)
	s := SlackEscape(shorten(l.Before, slackMaxLine))
	if l.Link != "" && label != "" {
		s += "<" + slackURL(l.Link) + "|" + SlackEscape(label) + ">"
	} else {
		s += SlackEscape(label)
	}
	return "• " + s + SlackEscape(shorten(l.After, slackMaxLine))
}

// Slack renders the digest as a Block Kit message: a header, the period
// and counts, a section per part (split over several blocks when it is
// longer than a section may be), and a context line linking the
// console. It stays within Slack's limits; what does not fit is counted
// ("…and 12 more in the console").
func (d *Digest) Slack(o RenderOptions) SlackMessage {
	out := d.outline(o)
	msg := SlackMessage{Text: SlackEscape(d.Subject() + " (for " + d.For + ")")}
	msg.Blocks = append(msg.Blocks,
		SlackBlock{Type: "header", Text: &SlackText{Type: "plain_text", Text: shorten(out.Heading, SlackMaxHeaderText)}},
		SlackBlock{Type: "section", Text: &SlackText{Type: "mrkdwn", Text: "*" + SlackEscape(out.Period) + "*\n" + SlackEscape(out.Summary)}})
	for i, p := range out.Parts {
		// Keep a block for each part still to come and for the context.
		budget := SlackMaxBlocks - len(msg.Blocks) - (len(out.Parts) - i - 1) - 1
		msg.Blocks = append(msg.Blocks, slackPart(p, budget)...)
	}
	ctx := "Sent by Tower"
	if out.Console != "" {
		ctx += " · <" + slackURL(out.Console) + "|Open your briefing in the console>"
	} else {
		ctx += " · run `tower briefing` for the full list"
	}
	msg.Blocks = append(msg.Blocks, SlackBlock{Type: "context", Elements: []SlackText{{Type: "mrkdwn", Text: ctx}}})
	return msg
}

// slackPart lays a part out in at most budget section blocks.
func slackPart(p part, budget int) []SlackBlock {
	budget = max(budget, 1)
	var blocks []SlackBlock
	text := "*" + SlackEscape(p.Title) + "*"
	if len(p.Lines) == 0 {
		text += "\n" + SlackEscape(p.None)
	}
	// room keeps space for the closing "…and N more" note.
	const room = 80
	for i, l := range p.Lines {
		s := l.mrkdwn()
		if utf8.RuneCountInString(text)+1+utf8.RuneCountInString(s) > SlackMaxSectionText-room {
			if len(blocks)+1 >= budget {
				text += fmt.Sprintf("\n…and %d more in the console", len(p.Lines)-i+p.More)
				p.More = 0
				break
			}
			blocks = append(blocks, SlackBlock{Type: "section", Text: &SlackText{Type: "mrkdwn", Text: text}})
			text = ""
		}
		if text != "" {
			text += "\n"
		}
		text += s
	}
	if p.More > 0 {
		text += fmt.Sprintf("\n…and %d more in the console", p.More)
	}
	return append(blocks, SlackBlock{Type: "section", Text: &SlackText{Type: "mrkdwn", Text: text}})
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
