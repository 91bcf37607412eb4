package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

// BenchmarkEventsIngest stores batches of collector messages into a fresh
// database (seeded with 2,000 people from records), one transaction per
// batch, as the collector's group commit does, and reports events/s:
//
//	go test -run '^$' -bench EventsIngest -benchtime 20x ./internal/store/sqlite/
//
// mix=track is all tracks and pages; mix=people has one identify in
// twenty, and a group and an alias in a hundred. api=insert stores the
// same tracks through EventsInsert, the file importer's path, to compare.
func BenchmarkEventsIngest(b *testing.B) {
	for _, batch := range []int{2000, 5000} {
		for _, mix := range []string{"track", "people"} {
			b.Run(fmt.Sprintf("batch=%d/mix=%s", batch, mix), func(b *testing.B) {
				benchIngest(b, batch, mix, false)
			})
		}
		b.Run(fmt.Sprintf("batch=%d/api=insert", batch), func(b *testing.B) { benchIngest(b, batch, "track", true) })
	}
}

func benchIngest(b *testing.B, batch int, mix string, viaInsert bool) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.MigrateUp(ctx); err != nil {
		b.Fatal(err)
	}
	seedBenchAccounts(b, s)
	recs := make([]foundation.Record, 2000)
	for i := range recs {
		recs[i] = benchRecord(i)
	}
	if _, err := s.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		b.Fatal(err)
	}
	es := make([]foundation.Event, batch)
	n := 0
	for b.Loop() {
		b.StopTimer()
		for i := range es {
			es[i] = benchEvent(n*batch+i, mix)
		}
		n++
		b.StartTimer()
		if viaInsert {
			res, err := s.EventsInsert(ctx, &store.EventsInsertParams{Events: es})
			if err != nil || res.Written != batch {
				b.Fatalf("batch %d: %v %+v", n, err, res)
			}
			continue
		}
		res, err := s.EventsIngest(ctx, &store.EventsIngestParams{Events: es})
		if err != nil || res.Stored != batch {
			b.Fatalf("batch %d: %v %+v", n, err, res)
		}
	}
	b.ReportMetric(float64(n*batch)/b.Elapsed().Seconds(), "events/s")
}

// benchMessageID is a UUID-shaped id that, like the ids SDKs generate,
// lands anywhere in the message_id index rather than at its end.
func benchMessageID(i int) string {
	x := uint64(i)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", x>>32, x>>16&0xffff, x>>4&0xfff, i&0xfff, uint64(i))
}

// benchEvent is message i of a site's traffic: 10,000 visitors, one in
// three signed in (as a userId that is also a CRM system_id for the
// first 2,000), properties and context of about 300 bytes as the
// Segment libraries send them. mix=people adds identify, group and alias
// messages.
func benchEvent(i int, mix string) foundation.Event {
	visitor := i % 10_000
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 10 * time.Millisecond)
	e := foundation.Event{
		MessageID:   benchMessageID(i),
		Type:        "track",
		AnonymousID: fmt.Sprintf("anon-%08d", visitor),
		Event:       [...]string{"Product Viewed", "Pricing Viewed", "Signed Up", "Demo Requested"}[i%4],
		Properties: json.RawMessage(fmt.Sprintf(`{"plan":"pro","price":49.5,"currency":"EUR","product_id":"p-%d",`+
			`"category":"analytics","utm_source":"newsletter","utm_campaign":"spring-%d"}`, i%300, i%12)),
		Context: json.RawMessage(fmt.Sprintf(`{"ip":"203.0.113.%d","library":{"name":"analytics.js","version":"4.1.0"},`+
			`"page":{"path":"/pricing","url":"https://www.example.test/pricing"},"locale":"en-GB",`+
			`"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"}`, i%250)),
		Timestamp:  at,
		ReceivedAt: at.Add(40 * time.Millisecond),
		Source:     "src_web",
	}
	if visitor%3 == 0 {
		e.UserID = fmt.Sprintf("%08d", visitor)
	}
	if i%5 == 1 {
		e.Type, e.Event, e.Name = "page", "", "Pricing"
	}
	if mix != "people" {
		return e
	}
	switch {
	case i%20 == 7:
		e.Type, e.Event, e.Properties = "identify", "", nil
		e.Email = fmt.Sprintf("visitor%d@example.test", visitor)
		e.Traits = json.RawMessage(fmt.Sprintf(`{"email":"visitor%d@example.test","firstName":"V%d","plan":"%s"}`,
			visitor, visitor, [...]string{"free", "pro", "team"}[i%3]))
	case i%100 == 13:
		e.Type, e.Event, e.GroupID = "group", "", fmt.Sprintf("A-%05d", visitor%1000)
	case i%100 == 17:
		e.Type, e.Event, e.PreviousID = "alias", "", e.AnonymousID
		e.UserID = fmt.Sprintf("user-%08d", visitor)
	}
	return e
}
