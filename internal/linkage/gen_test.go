package linkage

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A seeded generator of people with known duplicates, for tests and the
// scale benchmarks: realistic shapes (a heavy head of common surnames and a
// long tail, households sharing an address and phone, nicknames, typos,
// abbreviated streets, missing fields), not real people.

var (
	genCommonSurnames = strings.Fields(`smith jones williams brown wilson taylor johnson white martin
anderson thompson nguyen thomas walker harris lee ryan robinson kelly king davis wright evans roberts
green hall wood jackson clarke patel khan lewis james phillips mitchell turner campbell moore
murphy scott cooper morris ward baker young hill allen stewart hughes edwards kennedy gray
collins bell parker watson carter morgan cook murray bailey russell chen wang li zhang singh
mccarthy oconnor obrien fraser hamilton graham reid ross simpson marshall ellis grant wallace`)
	genGiven = strings.Fields(`olivia charlotte amelia isla mia ava grace chloe emily sophie ruby
zoe lily hannah ella harper matilda sienna ivy evie willow georgia lucy sarah jessica emma kate
jack william oliver noah thomas james lucas henry ethan samuel max alexander charlie leo harrison
isaac joshua daniel benjamin mason liam cooper archie hunter ryan nathan michael david matthew
andrew christopher robert richard peter stephen anthony edward patrick margaret elizabeth
catherine patricia susan jennifer rebecca victoria barbara dorothy deborah kimberly nicholas
jonathan timothy joseph frederick gregory lawrence raymond kenneth donald gerald francis`)
	genSyl1    = strings.Fields(`bal car dun el fair gar hal kil lin mar nor pem quin ros shel tam ver wal yar zel bran cole drum fitz`)
	genSyl2    = strings.Fields(`a e i o an en in on er ar`)
	genSyl3    = strings.Fields(`ford ton ley wood well by stone worth more dale field son ham wick gate cott brook shaw man ridge`)
	genTypes   = []string{"street", "road", "avenue", "place", "drive", "court", "crescent", "lane", "parade", "close"}
	genDomains = []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "bigpond.com", "example.org", "acme.com.au"}
	genStates  = []string{"nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"}
)

func genSyllables(r *rand.Rand) string {
	return genSyl1[r.IntN(len(genSyl1))] + genSyl2[r.IntN(len(genSyl2))] + genSyl3[r.IntN(len(genSyl3))]
}

// genPick draws from a list with a Zipf-like head: early entries are common.
func genPick(r *rand.Rand, list []string) string {
	x := r.Float64()
	return list[int(x*x*float64(len(list)))]
}

type genPlace struct{ suburb, postcode, state string }

// generatePeople makes about n records; dupShare of them are altered copies
// of others. truth holds every pair of records of one person.
func generatePeople(n int, dupShare float64, seed uint64) ([]Record, map[[2]string]bool) {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	places := make([]genPlace, 3000)
	for i := range places {
		places[i] = genPlace{genSyllables(r), fmt.Sprint(1000 + r.IntN(8999)), genStates[r.IntN(len(genStates))]}
	}
	streets := make([]string, 5000)
	for i := range streets {
		streets[i] = genSyllables(r) + " " + genTypes[r.IntN(len(genTypes))]
	}
	nick := loadNicknames()
	byGroup := map[uint16][]string{}
	for name, gs := range nick {
		for _, g := range gs {
			byGroup[g] = append(byGroup[g], name)
		}
	}
	for g := range byGroup {
		// map iteration order must not leak into the data
		list := byGroup[g]
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && list[j] < list[j-1]; j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
	}
	nOrig := int(float64(n) * (1 - dupShare))
	recs := make([]Record, 0, n)
	owner := make([]int, 0, n) // person index of each record
	for i := range nOrig {
		f := map[Role]string{}
		if i > 0 && r.IntN(100) < 4 {
			// A household: same surname and address as the last person, and
			// sometimes the same (land)line; otherwise a mobile of their own.
			prev := recs[len(recs)-1].Fields
			for _, role := range []Role{Surname, StreetNumber, Address, City, Postcode, State, Phone} {
				if v, ok := prev[role]; ok {
					f[role] = v
				}
			}
			if r.IntN(10) < 7 {
				f[Phone] = fmt.Sprintf("04%08d", r.IntN(100_000_000))
			}
		} else {
			if r.IntN(2) == 0 {
				f[Surname] = genPick(r, genCommonSurnames)
			} else {
				f[Surname] = genSyllables(r)
			}
			pl := places[int(r.Float64()*r.Float64()*float64(len(places)))]
			f[StreetNumber] = fmt.Sprint(1 + r.IntN(250))
			f[Address] = streets[r.IntN(len(streets))]
			f[City], f[Postcode], f[State] = pl.suburb, pl.postcode, pl.state
			f[Phone] = fmt.Sprintf("04%08d", r.IntN(100_000_000))
		}
		f[GivenName] = genPick(r, genGiven)
		f[DateOfBirth] = fmt.Sprintf("%04d-%02d-%02d", 1940+r.IntN(66), 1+r.IntN(12), 1+r.IntN(28))
		if r.IntN(10) < 8 {
			f[Email] = fmt.Sprintf("%s.%s%d@%s", f[GivenName], f[Surname], r.IntN(100), genDomains[r.IntN(len(genDomains))])
		}
		recs = append(recs, Record{ID: fmt.Sprintf("p%d", i), Fields: f})
		owner = append(owner, i)
	}
	for d := 0; len(recs) < n; d++ {
		src := r.IntN(nOrig)
		f := map[Role]string{}
		for k, v := range recs[src].Fields {
			f[k] = v
		}
		for range 1 + r.IntN(3) {
			genMutate(r, f, nick, byGroup)
		}
		recs = append(recs, Record{ID: fmt.Sprintf("d%d", d), Fields: f})
		owner = append(owner, src)
	}
	byOwner := map[int][]string{}
	for i, o := range owner {
		byOwner[o] = append(byOwner[o], recs[i].ID)
	}
	truth := map[[2]string]bool{}
	for _, ids := range byOwner {
		for x := range ids {
			for y := x + 1; y < len(ids); y++ {
				truth[pairKey(ids[x], ids[y])] = true
			}
		}
	}
	return recs, truth
}

func genMutate(r *rand.Rand, f map[Role]string, nick nicknameGroups, byGroup map[uint16][]string) {
	switch r.IntN(9) {
	case 0, 1:
		role := []Role{GivenName, Surname, Address, City}[r.IntN(4)]
		f[role] = genTypo(r, f[role])
	case 2:
		if gs := nick[f[GivenName]]; len(gs) > 0 {
			alts := byGroup[gs[r.IntN(len(gs))]]
			f[GivenName] = alts[r.IntN(len(alts))]
		}
	case 3:
		delete(f, []Role{Email, Phone, DateOfBirth, Address, GivenName}[r.IntN(5)])
	case 4:
		if f[Address] == "" {
			return
		}
		for long, short := range map[string]string{"street": "St", "road": "Rd", "avenue": "Ave", "drive": "Dr"} {
			f[Address] = strings.Replace(f[Address], long, short, 1)
		}
		f[Address] = strings.ToUpper(f[Address][:1]) + f[Address][1:]
	case 5:
		if e, ok := f[Email]; ok {
			if r.IntN(2) == 0 {
				f[Email] = strings.ToUpper(e[:1]) + e[1:]
			} else {
				f[Email] = e[:strings.IndexByte(e, '@')+1] + genDomains[r.IntN(len(genDomains))]
			}
		}
	case 6:
		if p, ok := f[Phone]; ok {
			f[Phone] = "+61 " + p[1:4] + " " + p[4:7] + " " + p[7:]
		}
	case 7:
		if d, ok := f[DateOfBirth]; ok && len(d) == 10 {
			f[DateOfBirth] = d[8:10] + "/" + d[5:7] + "/" + d[:4]
		}
	case 8:
		f[Postcode] = genTypo(r, f[Postcode])
	}
}

func genTypo(r *rand.Rand, s string) string {
	if len(s) < 3 {
		return s
	}
	i := 1 + r.IntN(len(s)-2)
	switch r.IntN(3) {
	case 0:
		return s[:i] + s[i+1:]
	case 1:
		return s[:i] + s[i+1:i+2] + s[i:i+1] + s[i+2:]
	}
	return s[:i] + string(rune('a'+r.IntN(26))) + s[i+1:]
}
