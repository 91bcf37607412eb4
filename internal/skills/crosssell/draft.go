package crosssell

import (
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// title is the task's title; an open task with this title on the account
// holds the same offer back.
func title(o Opportunity) string {
	return fmt.Sprintf("Offer %s to %s", o.Product.Name, o.Account.Name)
}

// Key identifies one offer of one product to one account, so an agent
// never has two proposals open on it.
func Key(accountID, productID string) string { return "cross-sell:" + accountID + ":" + productID }

// draft turns an opportunity into a task for the account's owner.
func draft(agent string, o Opportunity, pt pitch, now time.Time, dueIn time.Duration) proposal.Draft {
	facts := []proposal.Fact{
		{Name: "rule", Value: ruleIf(o) + " → " + o.Product.Name, Source: "holdings of current customers"},
		{Name: "customers learned from", Value: o.Customers, Source: "holdings"},
		{Name: "customers holding " + ruleIf(o), Value: o.HoldIf},
		{Name: "of whom hold " + o.Product.Name, Value: o.Rule.Count},
		{Name: "support", Value: round4(o.Rule.Support), Unit: "share of customers"},
		{Name: "confidence", Value: round4(o.Rule.Confidence), Unit: "share"},
		{Name: "lift", Value: round4(o.Rule.Lift), Unit: "times the usual rate"},
		{Name: "account holds", Value: names(o.Owns), Source: "holdings"},
		{Name: "typical monthly revenue of " + o.Product.Name, Value: o.TypicalMRR, Unit: "USD/month", Source: "median of customers holding it"},
	}
	offer := "none running today"
	if len(pt.offers) > 0 {
		offer = pt.offers[0].Name
		if !pt.offers[0].Ends.IsZero() {
			offer += " (until " + pt.offers[0].Ends.Format(time.DateOnly) + ")"
		}
	}
	facts = append(facts, proposal.Fact{Name: "current offer", Value: offer, Source: "offers knowledge"})
	n := note(o, pt)
	return proposal.Draft{
		Agent: agent,
		Title: title(o),
		Rationale: fmt.Sprintf("%s holds %s but not %s. %d of the %d customers holding %s also hold it (%s, %.1f times the rate across all customers).",
			o.Account.Name, ruleIf(o), o.Product.Name, o.Rule.Count, o.HoldIf, ruleIf(o), pct(o.Rule.Confidence), o.Rule.Lift),
		Actions: []proposal.Action{{Kind: proposal.CreateTask,
			Targets: []proposal.Target{{Type: proposal.TargetAccount, ID: o.Account.ID, Label: o.Account.Name}},
			Params: map[string]any{"title": title(o), "owner_id": o.Account.OwnerID,
				"due": now.Add(dueIn).Format(time.DateOnly), "note": n}}},
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{PipelineUSD: round2(12 * o.Value()), Assumptions: []string{
			fmt.Sprintf("a year of %s at the median monthly revenue of the customers holding it (%s), × the rule's confidence %s",
				o.Product.Name, proposal.Dollars(o.TypicalMRR), pct(o.Rule.Confidence)),
		}},
		Confidence: o.Rule.Confidence,
		Key:        Key(o.Account.ID, o.Product.ID),
		TTL:        dueIn + 7*24*time.Hour,
	}
}

func round4(f float64) float64 { return float64(int64(f*1e4+0.5)) / 1e4 }
func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
