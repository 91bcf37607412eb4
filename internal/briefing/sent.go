package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// ActionSent is the audit-log action of a briefing sent: the log is the
// record of what went out, so a restart (or another node) never sends the
// same day's briefing twice, and no table of its own is needed.
const ActionSent = "briefing.sent"

// SentEntry is the data of a briefing.sent audit entry.
type SentEntry struct {
	User    string  `json:"user"`
	Channel Channel `json:"channel"`
	// Day is the person's local date the briefing was for.
	Day string `json:"day"`
	// To is the e-mail address, or the environment variable naming the
	// Slack webhook (never the webhook itself).
	To string `json:"to,omitempty"`
	// Waiting is how many decisions the briefing said were waiting.
	Waiting int `json:"waiting"`
}

// RecordSent appends one briefing.sent entry per channel sent.
func RecordSent(ctx context.Context, q store.Queries, actor string, at time.Time, sent ...SentEntry) error {
	entries := make([]audit.Entry, len(sent))
	for i, s := range sent {
		entries[i] = audit.Entry{Actor: actor, Action: ActionSent, Subject: "user:" + s.User, Data: s, At: at}
	}
	if err := audit.Append(ctx, q, entries...); err != nil {
		return fmt.Errorf("recording the briefing sent: %w", err)
	}
	return nil
}

// SentLog is what the audit log says was sent, read incrementally: each
// Refresh reads only the entries appended since the last one, from the
// last few days.
type SentLog struct {
	mu    sync.Mutex
	after int64
	sent  map[sentKey]bool
}

type sentKey struct {
	user, channel, day string
}

// sentLookback covers every slot DueNow can return (today's or
// yesterday's, in any time zone) with room to spare.
const sentLookback = 72 * time.Hour

// Refresh reads the briefing.sent entries of the days before now that
// were appended since the last call.
func (l *SentLog) Refresh(ctx context.Context, q store.Queries, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[sentKey]bool{}
	}
	// Since bounds the first read, and the later ones when nothing was
	// appended yet; AfterSeq keeps later reads to what is new.
	p := store.AuditListParams{AfterSeq: l.after, Since: now.Add(-sentLookback), Limit: 1000}
	for {
		es, err := q.AuditList(ctx, &p)
		if err != nil {
			return fmt.Errorf("reading which briefings were sent: %w", err)
		}
		for _, e := range es {
			l.after = max(l.after, e.Seq)
			if e.Action != ActionSent {
				continue
			}
			var s SentEntry
			if json.Unmarshal(e.Data, &s) == nil {
				l.sent[sentKey{s.User, string(s.Channel), s.Day}] = true
			}
		}
		if len(es) < p.Limit {
			break
		}
		p.AfterSeq = l.after
	}
	return nil
}

// Sent reports whether user's briefing for day went to channel c.
func (l *SentLog) Sent(user string, c Channel, day string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[sentKey{user, string(c), day}]
}

// Mark notes a send this process just recorded.
func (l *SentLog) Mark(user string, c Channel, day string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[sentKey]bool{}
	}
	l.sent[sentKey{user, string(c), day}] = true
}
