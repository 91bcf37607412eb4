// Package basket finds products that are bought (or held) together:
// frequent itemsets and association rules ("customers who have A and B
// also have C") with their support, confidence, lift and leverage.
//
// A Transactions value is a set of baskets, each a set of items. Build one
// with a Builder, which sums quantities per basket and item so that a
// return booked against a purchase cancels it (the item counts as bought
// only when its total is above zero), or read one from a CSV export with
// FromTable. Mine counts every itemset held by at least a minimum share of
// baskets; Result.Rules turns those itemsets into rules.
//
// The measures, for a rule A → C over N baskets:
//
//	support    = baskets holding A and C / N
//	confidence = support(A ∪ C) / support(A)    how often C follows A
//	lift       = confidence / support(C)        how much more often than chance
//	leverage   = support(A ∪ C) − support(A)·support(C)
//
// They are the measures of Agrawal and Srikant's Apriori and of the
// widely used mlxtend library; Mine counts the same itemsets Apriori
// does, depth first over per-item bitsets (Eclat), which is faster and
// needs no candidate generation. Output is deterministic: itemsets by
// size, then by item names; rules by lift, confidence, support, names.
package basket
