package demo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"
)

// WritePeopleCSV writes n people.csv rows for measuring imports, shaped
// like a CRM export joined with an ESP list (unlike Generate, it makes no
// company: just rows, as many as asked, fast): two thirds CRM records, one third ESP records sharing
// an e-mail with a CRM record (so linking to an existing person is part of
// the measurement), quoted titles with commas, timestamps and a trait
// column. The output depends only on n.
func WritePeopleCSV(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("system,system_id,email,first_name,last_name,title,phone,account_id,country,region,created_at,updated_at,lead_score\n")
	countries := []string{"US", "DE", "FR", "GB", "PT", "BR", "JP", "IN"}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		system, id, person := "crm", "003"+strconv.Itoa(i), i
		if i%3 == 2 {
			system, id, person = "esp", strconv.Itoa(800000+i), i-1
		}
		created := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		fmt.Fprintf(bw, "%s,%s,person%d@example%d.test,First%d,Last%d,\"Director, Growth\",+1 555 %07d,,%s,NA,%s,%s,%d\n",
			system, id, person, person%97, person, person, i, countries[i%len(countries)], created, created, i%100)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing people.csv: %w", err)
	}
	return nil
}
