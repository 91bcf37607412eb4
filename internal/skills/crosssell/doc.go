// Package crosssell is the cross-sell skill: it learns which products
// customers hold together from the holdings themselves (association
// rules, see internal/basket) and, for a customer that holds a rule's
// first part but not its product, proposes one task for the account's
// owner: offer that product.
//
// Each customer account is one basket of the products it holds. A rule
// such as "Pipelines + Governance → Embedded" is kept when enough
// customers hold all three (min_support, min_accounts), when most
// customers with the first part also hold the product (min_confidence),
// and when that is clearly more often than among all customers
// (min_lift). Churned accounts and prospects are neither learned from nor
// offered anything.
//
// The task's note says what the product solves and for whom, from the
// products knowledge, and names a current offer from the offers knowledge
// only when one is running today: an offer past its end date, or not yet
// started, is never promised. Nothing else is claimed.
//
// One proposal per account (the product worth most: typical monthly
// revenue × confidence), keyed by account and product, so an agent never
// has two open on the same offer; an open task already asking the owner
// to offer that product also holds it back.
package crosssell
