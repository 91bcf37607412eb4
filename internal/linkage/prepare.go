package linkage

import (
	"context"
	"fmt"
)

// interner gives each distinct string a small id (0 is reserved for "no
// value"), so equality is an integer comparison and each value is stored
// once however many records share it.
type interner struct {
	ids  map[string]uint32
	strs []string
}

func newInterner() *interner { return &interner{ids: map[string]uint32{}, strs: []string{""}} }

func (in *interner) id(s string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := uint32(len(in.strs))
	in.ids[s] = id
	in.strs = append(in.strs, s)
	return id
}

// prepared holds every record's normalised values once, as interned ids
// per role, with the value frequencies the term-frequency adjustment needs.
type prepared struct {
	recs   []Record // the input, for ids and raw values in explanations
	nLeft  int      // Link: records [0, nLeft) are the left table; Dedupe: n
	link   bool
	active []Role // roles present in at least one record, in role order
	vals   [numRoles][]uint32
	dict   [numRoles]*interner
	freq   [numRoles][]uint32
	// email local part (lower-cased) and phone's last 9 digits, compared
	// and blocked on separately.
	emailLocal []uint32
	phone9     []uint32
	aux        *interner
	// kStreetNo and kAddress index the street fields in active (-1 when
	// absent); locality[k] marks the fields the street address implies.
	kStreetNo, kAddress int
	locality            []bool
	nick                nicknameGroups
}

func prepare(ctx context.Context, left, right []Record, link bool) (*prepared, error) {
	p := &prepared{nLeft: len(left), link: link, aux: newInterner(), nick: loadNicknames()}
	p.recs = make([]Record, 0, len(left)+len(right))
	p.recs = append(p.recs, left...)
	p.recs = append(p.recs, right...)
	n := len(p.recs)
	if err := checkIDs(left, "left"); err != nil {
		return nil, err
	}
	if link {
		if err := checkIDs(right, "right"); err != nil {
			return nil, err
		}
	}
	for r := range numRoles {
		p.dict[r] = newInterner()
	}
	p.emailLocal = make([]uint32, n)
	p.phone9 = make([]uint32, n)
	var present [numRoles]bool
	for i, rec := range p.recs {
		if i%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for role, raw := range rec.Fields {
			if role >= numRoles {
				return nil, fmt.Errorf("record %q: %w: %d", rec.ID, ErrUnknownRole, role)
			}
			v := normalize(role, raw)
			if v == "" {
				continue
			}
			if p.vals[role] == nil {
				p.vals[role] = make([]uint32, n)
			}
			present[role] = true
			p.vals[role][i] = p.dict[role].id(v)
			switch role {
			case Email:
				p.emailLocal[i] = p.aux.id("@" + emailLocal(v))
			case Phone:
				d := v
				if len(d) > 9 {
					d = d[len(d)-9:]
				}
				p.phone9[i] = p.aux.id("#" + d)
			}
		}
	}
	for r := range numRoles {
		if !present[r] {
			continue
		}
		p.active = append(p.active, Role(r))
		f := make([]uint32, len(p.dict[r].strs))
		for _, id := range p.vals[r] {
			f[id]++
		}
		p.freq[r] = f
	}
	p.kStreetNo, p.kAddress = -1, -1
	p.locality = make([]bool, len(p.active))
	for k, r := range p.active {
		switch r {
		case StreetNumber:
			p.kStreetNo = k
		case Address:
			p.kAddress = k
		case City, Postcode, State, Address2:
			p.locality[k] = true
		}
	}
	if len(p.active) == 0 {
		return nil, ErrNoFields
	}
	return p, nil
}

func checkIDs(recs []Record, side string) error {
	seen := make(map[string]struct{}, len(recs))
	for _, r := range recs {
		if _, ok := seen[r.ID]; ok {
			return fmt.Errorf("%s table: record %q: %w", side, r.ID, ErrDuplicateID)
		}
		seen[r.ID] = struct{}{}
	}
	return nil
}

// str is record i's normalised value for role r ("" when missing).
func (p *prepared) str(r Role, i int) string { return p.dict[r].strs[p.vals[r][i]] }
