package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/foundation"
)

func TestPlantedDuplicatesAreTwoPeopleOfOneHuman(t *testing.T) {
	dir, truth := bundle(t)
	people := readCSV(t, dir, "people.csv")
	rows := map[string]map[string]string{}
	emailCount := map[string]int{}
	for _, row := range people.rows {
		rows[recordKey(row["system"], row["system_id"])] = row
		emailCount[foundation.NormalizeEmail(row["email"])]++
	}
	facts := truth.Kind(KindDuplicate)
	variants := map[string]int{}
	// component links planted pairs, so accidental look-alikes can be told
	// from planted ones below.
	component := map[string]string{}
	find := func(k string) string {
		for component[k] != "" && component[k] != k {
			k = component[k]
		}
		return k
	}
	for _, f := range facts {
		d := f.Duplicate
		variants[d.Variant]++
		a, b := rows[recordKey(d.A.System, d.A.SystemID)], rows[recordKey(d.B.System, d.B.SystemID)]
		if a == nil || b == nil {
			t.Errorf("%s: a record is missing from people.csv", f.ID)
			continue
		}
		for _, side := range []struct {
			ref RecordRef
			row map[string]string
		}{{d.A, a}, {d.B, b}} {
			if side.row["email"] != side.ref.Email || side.row["first_name"] != side.ref.FirstName || side.row["last_name"] != side.ref.LastName {
				t.Errorf("%s: truth %+v differs from people.csv %v", f.ID, side.ref, side.row)
			}
		}
		ea, eb := foundation.NormalizeEmail(a["email"]), foundation.NormalizeEmail(b["email"])
		if ea == "" || ea == eb {
			t.Errorf("%s: the pair would link by e-mail (%q, %q); not a duplicate to find", f.ID, ea, eb)
		}
		if eb != "" && emailCount[eb] != 1 {
			t.Errorf("%s: %s is held by %d records; the duplicate must stand alone", f.ID, eb, emailCount[eb])
		}
		ok := true
		switch d.Variant {
		case "email_typo":
			ok = a["first_name"] == b["first_name"] && a["account_id"] == b["account_id"] && strings.Split(ea, "@")[1] == strings.Split(eb, "@")[1]
		case "nickname":
			ok = slices.Contains(nicknames[a["first_name"]], b["first_name"]) && a["last_name"] == b["last_name"]
		case "swapped_names":
			ok = a["first_name"] == b["last_name"] && a["last_name"] == b["first_name"]
		case "case_variant":
			ok = b["first_name"] == strings.ToUpper(a["first_name"]) && b["email"] == strings.ToUpper(b["email"])
		case "personal_email":
			ok = slices.Contains(personalDomains, strings.Split(eb, "@")[1]) && a["last_name"] == b["last_name"]
		case "crm_no_email":
			ok = b["system"] == "crm" && b["email"] == "" && a["phone"] == b["phone"] && a["last_name"] == b["last_name"]
		default:
			t.Errorf("%s: unknown variant %s", f.ID, d.Variant)
		}
		if !ok {
			t.Errorf("%s: pair does not show its %s variant: %v / %v", f.ID, d.Variant, a, b)
		}
		ka, kb := find(ea), find(recordKey(d.B.System, d.B.SystemID))
		if eb != "" {
			kb = find(eb)
		}
		component[ka], component[kb] = ka, ka
	}
	for _, v := range []string{"email_typo", "nickname", "swapped_names", "case_variant", "personal_email", "crm_no_email"} {
		if variants[v] < 3 {
			t.Errorf("only %d duplicates of variant %s", variants[v], v)
		}
	}
	if truth.Noise.CRMWithoutEmail != variants["crm_no_email"] {
		t.Errorf("noise counts %d CRM rows without e-mail, facts %d", truth.Noise.CRMWithoutEmail, variants["crm_no_email"])
	}
	// No accidental duplicates: two different addresses under the same name
	// at the same account only occur for planted pairs.
	byName := map[string]map[string]bool{}
	for _, row := range people.rows {
		e := foundation.NormalizeEmail(row["email"])
		if row["account_id"] == "" || e == "" || row["first_name"] == "" {
			continue
		}
		k := strings.ToLower(row["first_name"] + "|" + row["last_name"] + "|" + row["account_id"])
		if byName[k] == nil {
			byName[k] = map[string]bool{}
		}
		byName[k][e] = true
	}
	for k, emails := range byName {
		roots := map[string]bool{}
		for e := range emails {
			roots[find(e)] = true
		}
		if len(roots) > 1 {
			t.Errorf("unplanned duplicate: %s has addresses %v", k, emails)
		}
	}
}

func TestNoiseIsPresent(t *testing.T) {
	dir, truth := bundle(t)
	people := readCSV(t, dir, "people.csv")
	for _, col := range truth.Noise.ExtraColumns {
		if !slices.Contains(people.header, col) {
			t.Errorf("people.csv lacks extra column %s", col)
		}
	}
	emails := map[string]bool{}
	mixed, noEmailCRM := 0, 0
	for _, row := range people.rows {
		emails[foundation.NormalizeEmail(row["email"])] = true
		if row["email"] != strings.ToLower(row["email"]) {
			mixed++
		}
		if row["system"] == "crm" && row["email"] == "" {
			noEmailCRM++
		}
	}
	if mixed != truth.Noise.MixedCaseRecords || mixed < 50 {
		t.Errorf("mixed-case rows: %d in people.csv, truth says %d", mixed, truth.Noise.MixedCaseRecords)
	}
	if noEmailCRM != truth.Noise.CRMWithoutEmail {
		t.Errorf("CRM rows without e-mail: %d, truth says %d", noEmailCRM, truth.Noise.CRMWithoutEmail)
	}
	if len(truth.Noise.RoleAddresses) < 5 {
		t.Errorf("only %d role addresses", len(truth.Noise.RoleAddresses))
	}
	for _, e := range truth.Noise.RoleAddresses {
		local, _, _ := strings.Cut(e, "@")
		if !emails[e] || !slices.Contains(roleLocals, local) {
			t.Errorf("role address %s missing from people.csv or not a role mailbox", e)
		}
	}
	addressOnly := 0
	for _, row := range readCSV(t, dir, "consent.csv").rows {
		if row["system_id"] == "" {
			addressOnly++
			if emails[row["email"]] {
				t.Errorf("address-only suppression %s matches a record", row["email"])
			}
		}
	}
	if addressOnly != truth.Noise.AddressOnlySuppressions || addressOnly == 0 {
		t.Errorf("address-only suppressions: %d, truth says %d", addressOnly, truth.Noise.AddressOnlySuppressions)
	}
	systems := map[string]int{}
	for _, row := range people.rows {
		systems[row["system"]]++
	}
	if perHuman := float64(len(people.rows)) / float64(truth.Counts.Humans); perHuman < 1.9 || perHuman > 2.6 || len(systems) != 3 {
		t.Errorf("records per human %.2f across %v; most people should be in two or three systems", perHuman, systems)
	}
}
