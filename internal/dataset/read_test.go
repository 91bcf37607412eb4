package dataset

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestReadSniffsAndTypes(t *testing.T) {
	in := "\ufeff\"age\";\"job\";\"y\"\n56;\"housemaid\";\"no\"\n41;\"services\";\"yes\"\nNA;\"admin.\";\"no\"\n1;2\n"
	tab, err := Read(context.Background(), strings.NewReader(in), "bank.csv")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 3 || len(tab.Columns) != 3 {
		t.Fatalf("rows %d cols %d", tab.Len(), len(tab.Columns))
	}
	age, err := tab.Column("AGE")
	if err != nil || !age.Numeric || age.Nums[0] != 56 || !math.IsNaN(age.Nums[2]) {
		t.Fatalf("age column: %+v %v", age, err)
	}
	if job, _ := tab.Column("job"); job.Numeric {
		t.Fatal("job read as numeric")
	}
	if len(tab.Skipped) != 1 || tab.Skipped[0].Line != 5 || !strings.Contains(tab.Skipped[0].Error(), "2 fields where the header has 3") {
		t.Fatalf("skipped: %+v", tab.Skipped)
	}
	if tab.Lines[2] != 4 {
		t.Fatalf("lines %v", tab.Lines)
	}
}

func TestMaskAndMissingColumn(t *testing.T) {
	tab, err := Read(context.Background(), strings.NewReader("segment,visit\nWomens E-Mail,1\nNo E-Mail,0\nwomens e-mail,1.0\n"), "h.csv")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCondition("--treatment", "segment = Womens E-Mail")
	if err != nil {
		t.Fatal(err)
	}
	m, err := tab.Mask(c)
	if err != nil || !m[0] || m[1] || !m[2] {
		t.Fatalf("mask %v %v", m, err)
	}
	if m, err := tab.Mask(Condition{"visit", "1"}); err != nil || !m[2] {
		t.Fatalf("numeric mask %v %v", m, err)
	}
	if _, err := tab.Mask(Condition{"segment", "Mens"}); err == nil || !strings.Contains(err.Error(), "No E-Mail") {
		t.Fatalf("unknown value: %v", err)
	}
	if _, err := tab.Column("spend"); err == nil || !strings.Contains(err.Error(), "segment, visit") {
		t.Fatalf("missing column: %v", err)
	}
	if _, err := ParseCondition("--outcome", "yes"); err == nil {
		t.Fatal("a condition without = was accepted")
	}
}

func TestReadRefusesEmptyAndDuplicateHeaders(t *testing.T) {
	for in, want := range map[string]string{"": "empty", "a,b\n": "no usable rows", "a,A\n1,2\n": "appears twice"} {
		if _, err := Read(context.Background(), strings.NewReader(in), "f.csv"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("a;b\n1;x\n")
	f.Add("a,b\n\"1,2\",3\n\"broken\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := Read(context.Background(), strings.NewReader(in), "f.csv")
		if err != nil {
			return
		}
		for _, c := range tab.Columns {
			if len(c.Values) != tab.Len() || (c.Numeric && len(c.Nums) != tab.Len()) {
				t.Fatalf("column %q has %d values for %d rows", c.Name, len(c.Values), tab.Len())
			}
		}
	})
}
