package nextbestaction

import "fmt"

// Motion is what the skill proposes for an account.
type Motion string

// The motions.
const (
	Sales   Motion = "sales-outreach"
	Digital Motion = "digital-programme"
	Service Motion = "service-led"
	None    Motion = "no-action"
)

// Thresholds are the agent's parameters that decide the motion.
type Thresholds struct {
	MinScore      float64 // below: no action
	SalesScore    float64 // propensity needed for a seller's time
	MinSalesValue float64 // expected value (USD a year) needed for a seller's time
}

// Account is one priority account with its figures.
type Account struct {
	Stage      string
	Propensity float64 // P(at least one of its people starts a trial)
	Value      float64 // a year of list price of the products not held
	HasSeller  bool    // the account has an owner
	HasCSM     bool
}

// Expected is propensity × value.
func (a Account) Expected() float64 { return a.Propensity * a.Value }

// Decide chooses the motion and says why, and why not the others.
func Decide(a Account, th Thresholds) (Motion, string, []string) {
	low := a.Propensity < th.MinScore
	switch a.Stage {
	case "churned":
		if low {
			return None, fmt.Sprintf("propensity %.0f%% is below %.0f%%", 100*a.Propensity, 100*th.MinScore), nil
		}
		return Digital, "a churned account that shows interest again is won back by a nurture programme",
			[]string{"sales outreach: never to a churned account until it re-engages", "service-led: it is no longer a customer"}
	case "customer":
		if low || a.Value == 0 {
			return None, fmt.Sprintf("propensity %.0f%% (minimum %.0f%%) or nothing left to sell", 100*a.Propensity, 100*th.MinScore), nil
		}
		if !a.HasCSM {
			return Digital, "a customer with no customer success manager to call on",
				[]string{"service-led: no CSM for the account or its region", "sales outreach: customers belong to customer success"}
		}
		return Service, "a customer's next product comes best through its customer success manager",
			[]string{"sales outreach: customers belong to customer success", "digital programme: a customer with this much open value deserves a person"}
	}
	if low {
		return None, fmt.Sprintf("propensity %.0f%% is below %.0f%%", 100*a.Propensity, 100*th.MinScore), nil
	}
	if a.HasSeller && a.Propensity >= th.SalesScore && a.Expected() >= th.MinSalesValue {
		return Sales, fmt.Sprintf("propensity %.0f%% and expected value $%.0f a year are worth a seller's time", 100*a.Propensity, a.Expected()),
			[]string{"digital programme: too slow for an account this likely and this valuable", "service-led: not a customer"}
	}
	why := []string{"service-led: not a customer"}
	switch {
	case !a.HasSeller:
		why = append(why, "sales outreach: the account has no owner")
	case a.Propensity < th.SalesScore:
		why = append(why, fmt.Sprintf("sales outreach: propensity %.0f%% is below %.0f%%", 100*a.Propensity, 100*th.SalesScore))
	default:
		why = append(why, fmt.Sprintf("sales outreach: expected value $%.0f a year is below $%.0f", a.Expected(), th.MinSalesValue))
	}
	return Digital, "interested, but not yet worth a seller's time: a nurture programme keeps it warm", why
}
