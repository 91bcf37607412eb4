package foundation

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		v      interface{ Validate() error }
		field  string // "" = valid
		reason string
	}{
		{"OwnerOK", Owner{ID: "O-1", Name: "Ana", Email: "ana@x.test", Team: TeamSales}, "", ""},
		{"OwnerNoName", Owner{ID: "O-1", Email: "ana@x.test"}, "name", "is empty; it is required"},
		{"OwnerBadEmail", Owner{ID: "O-1", Name: "Ana", Email: "ana at x"}, "email", `"ana at x" is not an e-mail address`},
		{"OwnerBadTeam", Owner{ID: "O-1", Name: "Ana", Email: "ana@x.test", Team: "finance"}, "team",
			`"finance" is not one of sales, cs, marketing, ops`},
		{"OwnerUpperTeam", Owner{ID: "O-1", Name: "Ana", Email: "ana@x.test", Team: "Sales"}, "team", `"Sales" is not one of`},
		{"OwnerNegativeCapacity", Owner{ID: "O-1", Name: "Ana", Email: "ana@x.test", Capacity: -1}, "capacity", "is -1; it cannot be negative"},
		{"AccountBlankID", Account{ID: "  ", Name: "Acme"}, "id", "is empty"},
		{"RecordOK", Record{System: "crm", SystemID: "1", Email: "not an address"}, "", ""},
		{"RecordNoSystemID", Record{System: "crm"}, "system_id", "is empty"},
		{"ConsentByEmail", Consent{System: "esp", Email: "a@x.test", Channel: ChannelEmail, Status: StatusHardBounce, At: at}, "", ""},
		{"ConsentNoSubject", Consent{System: "esp", Channel: ChannelEmail, Status: StatusHardBounce, At: at}, "system_id",
			"system_id and email are both empty"},
		{"ConsentBadEmailOnly", Consent{System: "esp", Email: "nope", Channel: ChannelEmail, Status: StatusHardBounce, At: at}, "email",
			`"nope" is not an e-mail address`},
		{"ConsentNoTime", Consent{System: "esp", SystemID: "1", Channel: ChannelSMS, Status: StatusSubscribed}, "at", "is empty"},
		{"ConsentBadStatus", Consent{System: "esp", SystemID: "1", Channel: ChannelSMS, Status: "gone", At: at}, "status",
			`"gone" is not one of complaint, unsubscribed, do_not_contact, hard_bounce, soft_bounce, subscribed`},
		{"CampaignEndBeforeStart", Campaign{ID: "C", Name: "N", Channel: "email", StartDate: at, EndDate: at.AddDate(0, 0, -1)}, "end_date",
			"2025-02-28 is before start_date 2025-03-01"},
		{"CampaignNoChannel", Campaign{ID: "C", Name: "N"}, "channel", "is empty"},
		{"DayNegativeSpend", CampaignDay{CampaignID: "C", Date: at, Spend: -0.5}, "spend", "is -0.5; it cannot be negative"},
		{"DayNoDate", CampaignDay{CampaignID: "C"}, "date", "is empty"},
		{"LicenseOK", License{Tool: "Looker", Seats: 5, CostPerSeatMonth: 60}, "", ""},
		{"UsageNoEmail", LicenseUsage{Tool: "Looker"}, "user_email", "is empty"},
		{"TemplateNoDialect", Template{ID: "t"}, "dialect", "is empty"},
		{"TemplateBadESP", Template{ID: "t", Dialect: "liquid", ESP: "sendgrid"}, "esp", `"sendgrid" is not one of braze`},
		{"HoldingOK", Holding{AccountID: "A", ProductID: "P", Seats: 3}, "", ""},
		{"EventOK", Event{Type: "track", AnonymousID: "a", Event: "X", Timestamp: at}, "", ""},
		{"EventNoIdentity", Event{Type: "track", Event: "X", Timestamp: at}, "userId", "both missing"},
		{"EventTrackNoName", Event{Type: "track", UserID: "u", Event: "  ", Timestamp: at}, "event", "needs an event name"},
		{"EventAliasNoPrevious", Event{Type: "alias", UserID: "u", Timestamp: at}, "previousId", "needs a previousId"},
		{"EventNoTime", Event{Type: "page", UserID: "u"}, "timestamp", "is missing"},
		{"EventBadType", Event{Type: "click", UserID: "u", Timestamp: at}, "type", `"click" is not one of identify, track`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want a *FieldError on %s", err, tc.field)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Reason, tc.reason) {
				t.Errorf("Validate() = %s: %s\nwant %s: …%s…", fe.Field, fe.Reason, tc.field, tc.reason)
			}
		})
	}
}
