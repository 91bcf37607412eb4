package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/towerops/tower/internal/store"
)

// foundationCollector reports the size of the foundation at scrape time,
// so a dashboard shows imports landing without Tower keeping counters
// that could drift from the database.
type foundationCollector struct {
	st     store.Store
	logger *slog.Logger
	rows   *prometheus.Desc
	up     *prometheus.Desc
}

func newFoundationCollector(st store.Store, logger *slog.Logger) *foundationCollector {
	return &foundationCollector{
		st: st, logger: logger,
		rows: prometheus.NewDesc("tower_foundation_rows", "Rows in the data foundation by kind.", []string{"kind"}, nil),
		up:   prometheus.NewDesc("tower_database_up", "1 when the database answered the last scrape.", nil, nil),
	}
}

func (c *foundationCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.rows
	ch <- c.up
}

func (c *foundationCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n, err := c.st.Counts(ctx)
	if err != nil {
		c.logger.WarnContext(ctx, "metrics: counting foundation rows failed", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, kv := range []struct {
		kind string
		n    int64
	}{
		{"people", n.People}, {"records", n.Records}, {"accounts", n.Accounts}, {"owners", n.Owners},
		{"products", n.Products}, {"holdings", n.Holdings}, {"consent", n.Consent},
		{"campaigns", n.Campaigns}, {"campaign_days", n.CampaignDays}, {"events", n.Events},
		{"licenses", n.Licenses}, {"license_usage", n.LicenseUsage}, {"templates", n.Templates},
	} {
		ch <- prometheus.MustNewConstMetric(c.rows, prometheus.GaugeValue, float64(kv.n), kv.kind)
	}
}
