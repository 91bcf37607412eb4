package linkage

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// blockRule makes one blocking key per record ("" = the record is not
// blocked by this rule). Pairs sharing a key under ANY rule are compared:
// each rule alone misses some matches (a typo in the surname, a move), the
// OR of several rarely does.
type blockRule struct {
	name string
	// fields the key is made of: estimating m for them on pairs chosen for
	// agreeing on them would be circular, so EM leaves them out there.
	fields []Role
	// person: the key holds something personal (a name, a birth date, an
	// email). Keys a household shares (address, landline, surname and
	// postcode) draw in relatives who agree on everything the household
	// shares; EM on those pairs learns that the same person often has
	// another first name and birth date, so m is learned on person rules.
	person bool
	key    func(p *prepared, i int) string
}

// The rules pair a fast-moving field with a stable one so that each block
// stays small on a million records (postcode alone puts thousands of people
// in one block): names by sound, address, date of birth, email, phone.
var blockRules = []blockRule{
	{name: "surname and given name sound alike", fields: []Role{Surname, GivenName}, person: true,
		key: func(p *prepared, i int) string {
			s, g := p.get(Surname, i), p.get(GivenName, i)
			if s == "" || g == "" {
				return ""
			}
			return soundex(s) + soundex(g)
		}},
	{name: "same postcode and street number", fields: []Role{Postcode, StreetNumber},
		key: func(p *prepared, i int) string { return both(p.get(Postcode, i), p.get(StreetNumber, i)) }},
	{name: "same street number and street", fields: []Role{StreetNumber, Address},
		key: func(p *prepared, i int) string { return both(p.get(StreetNumber, i), p.get(Address, i)) }},
	{name: "same date of birth", fields: []Role{DateOfBirth}, person: true,
		key: func(p *prepared, i int) string { return p.get(DateOfBirth, i) }},
	{name: "same email local part", fields: []Role{Email}, person: true,
		key: func(p *prepared, i int) string { return p.aux.strs[p.emailLocal[i]] }},
	{name: "same phone last 9 digits", fields: []Role{Phone},
		key: func(p *prepared, i int) string { return p.aux.strs[p.phone9[i]] }},
	{name: "surname sounds alike, same postcode", fields: []Role{Surname, Postcode},
		key: func(p *prepared, i int) string { return both(soundex(p.get(Surname, i)), p.get(Postcode, i)) }},
	{name: "given name sounds alike, same postcode", fields: []Role{GivenName, Postcode}, person: true,
		key: func(p *prepared, i int) string { return both(soundex(p.get(GivenName, i)), p.get(Postcode, i)) }},
	{name: "same company, given name initial", fields: []Role{Company, GivenName}, person: true,
		key: func(p *prepared, i int) string {
			g := p.get(GivenName, i)
			if g == "" {
				return ""
			}
			return both(p.get(Company, i), g[:1])
		}},
}

func both(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	return a + "\x00" + b
}

// get is like str but tolerates a role no record has.
func (p *prepared) get(r Role, i int) string {
	if p.vals[r] == nil {
		return ""
	}
	return p.str(r, i)
}

// blocks holds, per rule, each record's key id and the records of each key
// (CSR layout: members[start[k]:start[k+1]], in record order).
type blocks struct {
	keys     [][]uint32
	start    [][]uint32
	members  [][]uint32
	oversize [][]bool
	tasks    []blockTask
	skipped  int
	skippedP int64
}

type blockTask struct {
	rule  int
	key   uint32
	pairs int64 // pairs in the block, before removing those of earlier rules
}

// sample returns about limit pairs' worth of blocks for EM to train on:
// every k-th block, in a fixed order, so the sample spans all rules and is
// the same on every run.
func (b *blocks) sample(limit int64) []blockTask {
	var total int64
	for _, t := range b.tasks {
		total += t.pairs
	}
	if total <= limit {
		return b.tasks
	}
	k := int((total + limit - 1) / limit)
	out := make([]blockTask, 0, len(b.tasks)/k+1)
	for x := 0; x < len(b.tasks); x += k {
		out = append(out, b.tasks[x])
	}
	return out
}

func buildBlocks(ctx context.Context, p *prepared, maxSize int) (*blocks, error) {
	n := len(p.recs)
	b := &blocks{}
	for ri, rule := range blockRules {
		in := newInterner()
		keys := make([]uint32, n)
		for i := range n {
			if i%65536 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			keys[i] = in.id(rule.key(p, i))
		}
		nk := len(in.strs)
		start := make([]uint32, nk+1)
		for _, k := range keys {
			start[k+1]++
		}
		for k := 1; k <= nk; k++ {
			start[k] += start[k-1]
		}
		members := make([]uint32, n)
		fill := make([]uint32, nk)
		copy(fill, start[:nk])
		for i, k := range keys {
			members[fill[k]] = uint32(i)
			fill[k]++
		}
		over := make([]bool, nk)
		for k := uint32(1); k < uint32(nk); k++ {
			m := members[start[k]:start[k+1]]
			pairs := blockPairs(p, m)
			if pairs == 0 {
				continue
			}
			if len(m) > maxSize {
				over[k] = true
				b.skipped++
				b.skippedP += pairs
				continue
			}
			b.tasks = append(b.tasks, blockTask{ri, k, pairs})
		}
		b.keys = append(b.keys, keys)
		b.start = append(b.start, start)
		b.members = append(b.members, members)
		b.oversize = append(b.oversize, over)
	}
	return b, nil
}

// blockPairs is how many pairs a block yields: all pairs in Dedupe, left ×
// right in Link.
func blockPairs(p *prepared, m []uint32) int64 {
	if !p.link {
		return int64(len(m)) * int64(len(m)-1) / 2
	}
	l := int64(0)
	for _, i := range m {
		if int(i) < p.nLeft {
			l++
		}
	}
	return l * (int64(len(m)) - l)
}

// shared is the set of rules (bit r) under which i and j share a key.
func (b *blocks) shared(i, j uint32) uint32 {
	var mask uint32
	for r := range b.keys {
		k := b.keys[r][i]
		if k != 0 && k == b.keys[r][j] && !b.oversize[r][k] {
			mask |= 1 << r
		}
	}
	return mask
}

// seenEarlier reports whether an earlier rule already yields the pair, so
// each candidate pair is compared once whatever the number of rules.
func (b *blocks) seenEarlier(rule int, i, j uint32) bool {
	for r := 0; r < rule; r++ {
		k := b.keys[r][i]
		if k != 0 && k == b.keys[r][j] && !b.oversize[r][k] {
			return true
		}
	}
	return false
}

// forEachPair calls visit for every candidate pair of tasks (i < j; in Link i is
// left and j right) on a pool of workers; visit gets its worker number so
// it can keep per-worker state without locks. done reports progress.
func (b *blocks) forEachPair(ctx context.Context, p *prepared, tasks []blockTask, workers int, visit func(w, rule int, i, j uint32), done func(n int64)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var stop atomic.Bool
	const chunk = 256
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(tasks) {
					return
				}
				if ctx.Err() != nil {
					stop.Store(true)
					return
				}
				hi := min(lo+chunk, len(tasks))
				for _, t := range tasks[lo:hi] {
					m := b.members[t.rule][b.start[t.rule][t.key]:b.start[t.rule][t.key+1]]
					for x, i := range m {
						if p.link && int(i) >= p.nLeft {
							break
						}
						for _, j := range m[x+1:] {
							if p.link && int(j) < p.nLeft {
								continue
							}
							if !b.seenEarlier(t.rule, i, j) {
								visit(w, t.rule, i, j)
							}
						}
					}
				}
				if done != nil {
					done(int64(hi - lo))
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
