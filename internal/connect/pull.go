package connect

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// PullReport says what a pull wrote.
type PullReport struct {
	Connector string            `json:"connector"`
	System    string            `json:"system"`
	Pages     int               `json:"pages"`
	Records   int               `json:"records"`
	Consent   int               `json:"consent"`
	Rejected  []store.Rejection `json:"rejected,omitempty"`
}

// PullInto pulls everything c holds into st, one transaction per page:
// records first, then the consent facts that name them, so a page is in
// the foundation entirely or not at all. Rows the store refuses are
// reported and skipped (the rest of the page is written); progress, when
// set, is told the running totals after each page.
func PullInto(ctx context.Context, st store.Store, c Connector, progress func(PullReport)) (*PullReport, error) {
	d := c.Describe()
	rep := &PullReport{Connector: d.Name, System: d.System}
	if !d.Pull {
		return rep, fmt.Errorf("%s (%s) only receives changes; it has nothing to pull", d.Name, d.Kind)
	}
	err := c.Pull(ctx, func(ctx context.Context, b Batch) error {
		return st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			if len(b.Records) > 0 {
				res, err := q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: b.Records})
				if err != nil {
					return fmt.Errorf("write records: %w", err)
				}
				rep.Records += res.Written
				rep.Rejected = append(rep.Rejected, res.Rejected...)
			}
			if len(b.Consent) > 0 {
				res, err := q.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: b.Consent})
				if err != nil {
					return fmt.Errorf("write consent: %w", err)
				}
				rep.Consent += res.Written
				rep.Rejected = append(rep.Rejected, res.Rejected...)
			}
			rep.Pages++
			if progress != nil {
				progress(*rep)
			}
			return nil
		})
	})
	if err != nil {
		return rep, fmt.Errorf("pull from %s: %w", d.Name, err)
	}
	return rep, nil
}
