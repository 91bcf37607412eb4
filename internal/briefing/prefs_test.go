package briefing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/store"
)

const goodPrefs = `console_url = "https://tower.example.com/"

[defaults]
channels = ["console", "email"]
send_time = "08:30"
time_zone = "Europe/Berlin"
quiet_hours = "20:00-07:00"

[people."maya.okafor"]
channels = ["slack", "email"]
slack_webhook_env = "SLACK_MAYA"
leave_out = ["scorecards"]
weekdays_only = false
email = "maya@example.com"

[people.tom]
quiet_hours = "none"
time_zone = "America/New_York"

[smtp]
host = "smtp.example.com"
from = "tower@example.com"
username_env = "SMTP_USER"
password_env = "SMTP_PASS"
`

func TestParsePrefs(t *testing.T) {
	p, err := ParsePrefs("ws/briefing.toml", []byte(goodPrefs))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "console url", p.ConsoleURL, "https://tower.example.com")
	eq(t, "smtp port default", p.SMTP.Port, 587)
	eq(t, "starttls default", p.SMTP.StartTLS, TLSRequired)

	maya := p.For("maya.okafor", "maya@store.example")
	eq(t, "maya channels", len(maya.Channels), 2)
	eq(t, "maya slack", maya.SlackEnv, "SLACK_MAYA")
	eq(t, "maya email overrides the store's", maya.Email, "maya@example.com")
	eq(t, "maya send time from defaults", maya.SendTime, Clock{8, 30})
	eq(t, "maya zone", maya.Location.String(), "Europe/Berlin")
	eq(t, "maya quiet", maya.Quiet.String(), "20:00-07:00")
	eq(t, "maya leaves out", maya.LeaveOut[SectionScorecards], true)
	eq(t, "maya every day", maya.WeekdaysOnly, false)

	tom := p.For("tom", "tom@store.example")
	eq(t, "tom: quiet hours lifted", tom.Quiet == nil, true)
	eq(t, "tom zone", tom.Location.String(), "America/New_York")
	eq(t, "tom email from the store", tom.Email, "tom@store.example")
	eq(t, "tom channels from defaults", tom.Has(Email) && tom.Has(Console) && !tom.Has(Slack), true)
	eq(t, "tom weekdays by default", tom.WeekdaysOnly, true)

	other := p.For("zed", "")
	eq(t, "no table: the defaults", other.SendTime, Clock{8, 30})

	if err := p.CheckUsers([]store.User{{Name: "maya.okafor"}, {Name: "tom"}}); err != nil {
		t.Errorf("known users: %v", err)
	}
	err = p.CheckUsers([]store.User{{Name: "tom"}, {Name: "ana"}})
	if err == nil || !strings.Contains(err.Error(), `ws/briefing.toml:9: people.maya.okafor: no Tower user is called "maya.okafor" (users: tom, ana)`) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestParsePrefsRefusesPrecisely(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"[defaults]\nchanel = [\"slack\"]\n", "b.toml:2: defaults.chanel: unknown setting"},
		{"[defaults]\nsend_time = \"8am\"\n", `b.toml:2: send_time: "8am" is not a time of day`},
		{"[defaults]\nsend_time = \"24:00\"\n", `b.toml:2: send_time: "24:00" is not a time of day`},
		{"[people.ana]\n\ntime_zone = \"Mars/Olympus\"\n", `b.toml:3: time_zone: "Mars/Olympus" is not a time zone`},
		{"[people.ana]\ntime_zone = \"Local\"\n", `b.toml:2: time_zone: "Local" is not a time zone`},
		{"[defaults]\nquiet_hours = \"22:00\"\n", `b.toml:2: quiet_hours: "22:00" is not a span of quiet hours`},
		{"[defaults]\nquiet_hours = \"07:00-07:00\"\n", `b.toml:2: quiet_hours: quiet hours that start when they end are empty`},
		{"[defaults]\nchannels = [\"sms\"]\n", `b.toml:2: channels: "sms" is not a channel: use console, slack or email`},
		{"[defaults]\nleave_out = [\"gossip\"]\n", `b.toml:2: leave_out: "gossip" is not a section`},
		{"[people.ana]\nchannels = [\"slack\"]\n", "b.toml:2: people.ana.channels: slack needs slack_webhook_env"},
		{"[defaults]\nchannels = [\"email\"]\n", "b.toml:2: defaults.channels: email needs an [smtp] table"},
		{"[people.ana]\nemail = \"not an address\"\n", `b.toml:2: email: "not an address" is not an e-mail address`},
		{"[smtp]\nhost = \"smtp.example.com:587\"\nfrom = \"a@b.c\"\n", "b.toml:2: smtp.host: name the mail server"},
		{"[smtp]\nhost = \"smtp.example.com\"\n", "smtp.from: say which address"},
		{"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\nusername_env = \"U\"\n", "b.toml:4: smtp.username_env: give both"},
		{"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\nstarttls = \"never\"\n", `b.toml:4: starttls: "never" is not a STARTTLS mode`},
		{"console_url = \"tower.example.com\"\n", "b.toml:1: console_url: write the console's address with https://"},
		{"[defaults]\nweekdays_only = \"yes\"\n", "b.toml:2"},
	} {
		_, err := ParsePrefs("b.toml", []byte(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant an error containing %q", c.body, err, c.want)
		}
	}
}

// TestPrefsNeverEchoASecret: a webhook URL written where its variable's
// name belongs is refused without being repeated.
func TestPrefsNeverEchoASecret(t *testing.T) {
	secret := "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
	for _, body := range []string{
		"[people.ana]\nchannels = [\"slack\"]\nslack_webhook_env = \"" + secret + "\"\n",
		"[people.ana]\nslack_webhook = \"" + secret + "\"\n",
		"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\nusername_env = \"u\"\npassword_env = \"hunter2 is my password\"\n",
	} {
		_, err := ParsePrefs("b.toml", []byte(body))
		if err == nil {
			t.Fatalf("%q was accepted", body)
		}
		if strings.Contains(err.Error(), "XXXXSECRET") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}

func TestLoadPrefsWithoutAFileIsConsoleOnly(t *testing.T) {
	dir := t.TempDir()
	p, err := LoadPrefs(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := p.For("ana", "ana@example.com")
	eq(t, "channels", len(s.Channels) == 1 && s.Channels[0] == Console, true)
	eq(t, "pushed", len(s.Pushed()), 0)
	if err := os.WriteFile(filepath.Join(dir, PrefsFile), []byte("[defaults]\nsend_time = 9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPrefs(dir); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, PrefsFile)+":2") {
		t.Errorf("a bad file: %v", err)
	}
}
