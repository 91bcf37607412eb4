// Package nextbestaction is the built-in skill "next-best-action": for
// each account that matters now, it chooses one motion and proposes it —
// sales outreach (a task for the account's seller), a digital programme
// (its people tagged into a nurture audience), service-led (a task for
// the customer success manager), or nothing.
//
// Which accounts: those whose people were active in the last active_days
// (any event), and every open opportunity and customer whatever their
// activity. Everything else waits until it shows a sign of life.
//
// How it chooses. The right rule is uplift: contact the accounts a motion
// changes, not the ones that would convert anyway (see internal/uplift and
// `tower analyze uplift`). That needs a randomised holdout per person, and
// the workspace has none (the demo included: its campaigns hold A/B
// totals, not who was held out), so the skill uses the fallback,
// propensity × value:
//
//   - propensity: a learn model fitted on the workspace's own people.
//     Each person's activity in a feature window (pricing views, pages,
//     e-mail clicks, webinars, demo requests, whitepapers, product use,
//     earlier trials) and who they are (title, region, their account's
//     tier, industry, lifecycle stage, employees, products held) predict
//     whether they start a trial ("Trial Started") in the following
//     window. The windows are laid back to back ending today for learning,
//     and the same features over the latest window are scored. An
//     account's propensity is the chance that at least one of its people
//     starts a trial: 1 − Π(1 − p).
//   - value: the list price of every product the account does not hold,
//     a year of it (list prices are monthly).
//
// The motion follows from the account's stage and the two numbers:
// a churned account is never handed to sales (a nurture programme, or
// nothing); a customer goes to its CSM (service-led); any other account
// goes to sales when its propensity reaches sales_score and its expected
// value (propensity × value) reaches min_sales_value, to a nurture
// programme when its propensity reaches min_score, and otherwise gets no
// action. Proposals come highest expected value first, at most
// max_proposals per run, each keyed by account and motion so an agent
// never holds two open on the same thing.
package nextbestaction
