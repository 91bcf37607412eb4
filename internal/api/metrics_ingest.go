package api

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/towerops/tower/internal/ingest/collect"
)

// ingestCollector reports the event committer's totals at scrape time:
// what was stored, what was a resend, how often senders were asked to
// come back, and how much waits for the database right now — the figure
// to alert on before senders see 503s.
type ingestCollector struct {
	c                             *collect.Committer
	events, commits, busy, failed *prometheus.Desc
	pending                       *prometheus.Desc
}

func newIngestCollector(c *collect.Committer) *ingestCollector {
	return &ingestCollector{c: c,
		events:  prometheus.NewDesc("tower_ingest_events_total", "Events received over /v1, by outcome (stored, duplicate).", []string{"outcome"}, nil),
		commits: prometheus.NewDesc("tower_ingest_commits_total", "Group commits of received events.", nil, nil),
		busy:    prometheus.NewDesc("tower_ingest_busy_total", "Requests answered 503 because the database was behind.", nil, nil),
		failed:  prometheus.NewDesc("tower_ingest_failed_total", "Requests whose events could not be stored.", nil, nil),
		pending: prometheus.NewDesc("tower_ingest_pending_events", "Events received and waiting for their commit.", nil, nil),
	}
}

func (m *ingestCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.events, m.commits, m.busy, m.failed, m.pending} {
		ch <- d
	}
}

func (m *ingestCollector) Collect(ch chan<- prometheus.Metric) {
	s := m.c.Stats()
	ch <- prometheus.MustNewConstMetric(m.events, prometheus.CounterValue, float64(s.Stored.Load()), "stored")
	ch <- prometheus.MustNewConstMetric(m.events, prometheus.CounterValue, float64(s.Duplicates.Load()), "duplicate")
	ch <- prometheus.MustNewConstMetric(m.commits, prometheus.CounterValue, float64(s.Commits.Load()))
	ch <- prometheus.MustNewConstMetric(m.busy, prometheus.CounterValue, float64(s.Busy.Load()))
	ch <- prometheus.MustNewConstMetric(m.failed, prometheus.CounterValue, float64(s.Failed.Load()))
	ch <- prometheus.MustNewConstMetric(m.pending, prometheus.GaugeValue, float64(m.c.Pending()))
}
