package crosssell

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "cross-sell"

func init() { skill.Register(Skill{}) }

// Skill implements cross-sell.
type Skill struct{}

var _ skill.Skill = Skill{}

// Defaults of the parameters: a rule must hold for 5% of customers and at
// least 10 of them, be right 80% of the time, and be 1.5 times the usual
// rate, so a handful of look-alike accounts never makes a rule.
const (
	DefaultMinSupport    = 0.05
	DefaultMinConfidence = 0.8
	DefaultMinLift       = 1.5
	DefaultMinAccounts   = 10
	DefaultMaxProposals  = 100
)

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "growth",
		Description: "Learns which products customers hold together and asks each account's owner to offer the product its look-alikes have and it lacks, with the offer running today.",
		Triggers:    skill.Triggers{Schedule: "0 8 * * 1", Events: []string{"import:holdings"}},
		Actions:     []proposal.Kind{proposal.CreateTask},
		Knowledge:   []string{knowledge.LayerProducts, knowledge.LayerOffers},
		Params: []skill.Param{
			{Name: "min_support", Type: skill.Float, Default: DefaultMinSupport, Min: skill.Bound(0.005), Max: skill.Bound(1),
				Description: "share of customers that must hold the whole rule (0.05 = 5%)"},
			{Name: "min_confidence", Type: skill.Float, Default: DefaultMinConfidence, Min: skill.Bound(0.5), Max: skill.Bound(1),
				Description: "share of customers with the rule's first part that must also hold the product (0.8 = 80%)"},
			{Name: "min_lift", Type: skill.Float, Default: DefaultMinLift, Min: skill.Bound(1), Max: skill.Bound(100),
				Description: "how many times more often than across all customers (1.5 = half as often again)"},
			{Name: "min_accounts", Type: skill.Int, Default: int64(DefaultMinAccounts), Min: skill.Bound(3), Max: skill.Bound(100000),
				Description: "customers that must hold the whole rule"},
			{Name: "max_proposals", Type: skill.Int, Default: int64(DefaultMaxProposals), Min: skill.Bound(1), Max: skill.Bound(10000),
				Description: "offers proposed per run, most valuable first"},
			{Name: "due_in", Type: skill.Duration, Default: "14d", Description: "the task is due this long after the run"},
		},
	}
}

// Run learns the rules once and proposes for every agent of the batch
// (agents differ only in thresholds and limits).
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	in, err := Read(ctx, v)
	if err != nil {
		return nil, err
	}
	cat, err := readCatalog(v)
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		opt := Options{MinSupport: a.Params.Float("min_support"), MinConfidence: a.Params.Float("min_confidence"),
			MinLift: a.Params.Float("min_lift"), MinAccounts: int(a.Params.Int("min_accounts"))}
		rep, err := Find(ctx, in, opt)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		for i, o := range rep.Opportunities {
			if i == int(a.Params.Int("max_proposals")) {
				break
			}
			drafts = append(drafts, draft(a.Name, o, cat.pitch(o.Product, v.Now()), v.Now(), a.Params.Duration("due_in")))
		}
	}
	return drafts, nil
}

// page is how many rows each read asks for.
const page = 1000

// Read loads accounts, products, holdings and open tasks.
func Read(ctx context.Context, r store.Reader) (*Input, error) {
	in := &Input{}
	var err error
	if in.Accounts, err = store.ReadAll(page, func(p store.Page) ([]foundation.Account, error) {
		return r.AccountsList(ctx, &store.AccountsListParams{Page: p})
	}); err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	if in.Products, err = store.ReadAll(page, func(p store.Page) ([]foundation.Product, error) {
		return r.ProductsList(ctx, &store.ProductsListParams{Page: p})
	}); err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	if in.Holdings, err = store.ReadAll(page, func(p store.Page) ([]foundation.Holding, error) {
		return r.HoldingsList(ctx, &store.HoldingsListParams{Page: p})
	}); err != nil {
		return nil, fmt.Errorf("read holdings: %w", err)
	}
	tasks, err := store.ReadAll(page, func(p store.Page) ([]store.Task, error) {
		return r.TasksList(ctx, &store.TasksListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("read tasks: %w", err)
	}
	for _, t := range tasks {
		if t.Status == "open" {
			in.OpenTasks = append(in.OpenTasks, t)
		}
	}
	return in, nil
}

// readCatalog reads the products and offers layers. A broken knowledge
// folder is an error; a workspace without one gets an empty catalogue,
// and the notes then say the product has no entry rather than invent one.
func readCatalog(v skill.View) (Catalog, error) {
	var c Catalog
	p, err := v.Knowledge(knowledge.LayerProducts)
	if err != nil {
		return c, err
	}
	c.Products, _ = p.([]knowledge.Product)
	o, err := v.Knowledge(knowledge.LayerOffers)
	if err != nil {
		return c, err
	}
	c.Offers, _ = o.([]knowledge.Offer)
	return c, nil
}
