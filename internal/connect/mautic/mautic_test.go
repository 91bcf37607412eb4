package mautic_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/mautic"
	"github.com/towerops/tower/internal/connect/mautic/mauticfake"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

const (
	user     = "api-user-7731"
	password = "s3cret-pa55-word-9f2c"
)

func env(fake *mauticfake.Server, clock *connecttest.Clock, pass string, log *bytes.Buffer) connect.Env {
	vars := map[string]string{"MAUTIC_USER": user, "MAUTIC_PASSWORD": pass}
	e := connect.Env{HTTP: fake.Client(), Clock: clock, Getenv: func(k string) string { return vars[k] }}
	if log != nil {
		e.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return e
}

func config(url string, batch int) connect.Config {
	return connect.Config{Name: "mautic", File: "connectors/mautic.toml", Kind: mautic.Kind, System: "map", URL: url,
		UserEnv: "MAUTIC_USER", TokenEnv: "MAUTIC_PASSWORD", BatchSize: batch}
}

func target() connecttest.Target {
	return connecttest.Target{
		Kind: mautic.Kind,
		New:  func(clock *connecttest.Clock) connecttest.Fake { return mauticfake.New(clock, user, password) },
		Open: func(f connecttest.Fake, clock *connecttest.Clock, batch int) (connect.Connector, error) {
			fake := f.(*mauticfake.Server)
			return connect.Open(config(fake.URL(), batch), env(fake, clock, password, nil))
		},
		Faults:       true,
		PullPageSize: mautic.PageSize,
	}
}

func TestSuite(t *testing.T) { connecttest.Run(t, target()) }

func setup(t *testing.T) (*mauticfake.Server, *connecttest.Clock, connect.Connector) {
	t.Helper()
	clock := connecttest.NewClock(connecttest.Start)
	fake := mauticfake.New(clock, user, password)
	t.Cleanup(fake.Close)
	c, err := connect.Open(config(fake.URL(), 0), env(fake, clock, password, nil))
	if err != nil {
		t.Fatal(err)
	}
	return fake, clock, c
}

// Pulling maps each do-not-contact reason and channel to Tower's status.
func TestPullMapsDoNotContactReasons(t *testing.T) {
	fake, _, c := setup(t)
	ids := fake.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}, {Email: "c@example.com"}, {Email: "d@example.com"}})
	fake.SetDNC(ids[0], "email", mautic.ReasonUnsubscribed, "clicked unsubscribe")
	fake.SetDNC(ids[1], "email", mautic.ReasonBounced, "550 5.1.1")
	fake.SetDNC(ids[2], "sms", mautic.ReasonManual, "")
	fake.SetDNC(ids[3], "notification", mautic.ReasonManual, "")
	type key struct {
		id string
		ch foundation.Channel
	}
	got := map[key]foundation.Consent{}
	err := c.Pull(context.Background(), func(_ context.Context, b connect.Batch) error {
		for _, f := range b.Consent {
			got[key{f.SystemID, f.Channel}] = f
			if err := f.Validate(); err != nil {
				t.Errorf("consent %+v: %v", f, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[key]foundation.ConsentStatus{
		{ids[0], foundation.ChannelEmail}: foundation.StatusUnsubscribed,
		{ids[1], foundation.ChannelEmail}: foundation.StatusHardBounce,
		{ids[2], foundation.ChannelSMS}:   foundation.StatusDoNotContact,
	}
	if len(got) != len(want) {
		t.Errorf("got %d consent facts, want %d (a channel Tower does not track must be skipped): %v", len(got), len(want), got)
	}
	for k, st := range want {
		if got[k].Status != st {
			t.Errorf("contact %s %s: status %q, want %q", k.id, k.ch, got[k].Status, st)
		}
	}
	if r := got[key{ids[0], foundation.ChannelEmail}].Reason; r != "clicked unsubscribe" {
		t.Errorf("reason %q, want Mautic's comments", r)
	}
	if r := got[key{ids[2], foundation.ChannelSMS}].Reason; !strings.Contains(r, "reason 3") {
		t.Errorf("reason without comments = %q, want it to name the reason", r)
	}
}

// Pushing a suppress writes the reason its status maps to, with the
// change's reason as comments; unsuppress removes the entry.
func TestPushMapsStatusToReason(t *testing.T) {
	fake, _, c := setup(t)
	cases := []struct {
		status  foundation.ConsentStatus
		channel foundation.Channel
		reason  int
	}{
		{foundation.StatusUnsubscribed, foundation.ChannelEmail, mautic.ReasonUnsubscribed},
		{foundation.StatusComplaint, foundation.ChannelEmail, mautic.ReasonUnsubscribed},
		{foundation.StatusHardBounce, foundation.ChannelEmail, mautic.ReasonBounced},
		{foundation.StatusDoNotContact, foundation.ChannelSMS, mautic.ReasonManual},
	}
	seeds := make([]connecttest.Seed, len(cases))
	for i := range seeds {
		seeds[i].Email = "p" + string(rune('a'+i)) + "@example.com"
	}
	ids := fake.Seed(seeds)
	var changes []connect.Change
	for i, tc := range cases {
		changes = append(changes, connect.Change{Key: "k" + ids[i], Op: connect.OpSuppress, SystemID: ids[i],
			Channel: tc.channel, Status: tc.status, Reason: "tower: " + string(tc.status)})
	}
	for i, r := range c.Push(context.Background(), changes) {
		if r.Err != nil {
			t.Fatalf("change %d: %v", i, r.Err)
		}
	}
	for i, tc := range cases {
		reason, comments := fake.DNC(ids[i], string(tc.channel))
		if reason != tc.reason || comments != "tower: "+string(tc.status) {
			t.Errorf("%s: Mautic holds reason %d %q, want %d %q", tc.status, reason, comments, tc.reason, "tower: "+string(tc.status))
		}
	}
	res := c.Push(context.Background(), []connect.Change{{Key: "u", Op: connect.OpUnsuppress, SystemID: ids[3], Channel: foundation.ChannelSMS,
		Status: foundation.StatusSubscribed}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if reason, _ := fake.DNC(ids[3], "sms"); reason != -1 {
		t.Errorf("after unsuppress the sms entry has reason %d, want none", reason)
	}
	// A soft bounce has no Mautic equivalent: refused, permanently, and nothing written.
	res = c.Push(context.Background(), []connect.Change{{Key: "s", Op: connect.OpSuppress, SystemID: ids[3], Channel: foundation.ChannelEmail,
		Status: foundation.StatusSoftBounce}})
	if _, retry := connect.Retryable(res[0].Err); res[0].Err == nil || retry || !strings.Contains(res[0].Err.Error(), "soft_bounce") {
		t.Errorf("soft bounce: %v (retryable %v)", res[0].Err, retry)
	}
	if reason, _ := fake.DNC(ids[3], "email"); reason != -1 {
		t.Errorf("a refused soft bounce wrote reason %d", reason)
	}
}

func TestStatusReasonRoundTrip(t *testing.T) {
	for _, st := range []foundation.ConsentStatus{foundation.StatusUnsubscribed, foundation.StatusHardBounce, foundation.StatusDoNotContact} {
		r, err := mautic.ReasonFor(st)
		if err != nil {
			t.Fatal(err)
		}
		if back := mautic.StatusOf(r); back != st {
			t.Errorf("%s → reason %d → %s", st, r, back)
		}
	}
	if mautic.StatusOf(0) != foundation.StatusSubscribed {
		t.Errorf("reason 0 is contactable")
	}
	if mautic.StatusOf(7) != foundation.StatusDoNotContact {
		t.Errorf("an unknown reason must read as not sendable, got %s", mautic.StatusOf(7))
	}
}

// Each entry of a batch edit gets its own result from Mautic's statusCodes.
func TestBatchEditPerContactResults(t *testing.T) {
	fake, _, c := setup(t)
	ids := fake.Seed([]connecttest.Seed{{Email: "e1@example.com"}, {Email: "e2@example.com"}, {Email: "e3@example.com"}})
	fake.Reject(ids[1])
	res := c.Push(context.Background(), []connect.Change{
		{Key: "a", Op: connect.OpUpdateField, SystemID: ids[0], Field: "traits.plan", Value: "pro"},
		{Key: "b", Op: connect.OpUpdateField, SystemID: ids[1], Field: "first_name", Value: "X"},
		{Key: "c", Op: connect.OpUpdateField, SystemID: "9999", Field: "first_name", Value: "Y"},
		{Key: "d", Op: connect.OpUpdateField, SystemID: ids[2], Field: "account_id", Value: "A-1"},
		{Key: "e", Op: connect.OpUpdateField, SystemID: ids[2], Field: "title", Value: "CMO"},
	})
	if res[0].Err != nil || res[4].Err != nil {
		t.Fatalf("good entries failed: %v / %v", res[0].Err, res[4].Err)
	}
	if fake.Field(ids[0], "traits.plan") != "pro" || fake.Field(ids[2], "title") != "CMO" {
		t.Errorf("fields not set: plan %q, title(position) %q", fake.Field(ids[0], "traits.plan"), fake.Field(ids[2], "title"))
	}
	var ae *mautic.APIError
	if !errors.As(res[1].Err, &ae) || ae.Status != 403 || !strings.Contains(ae.Message, "do not have access") {
		t.Errorf("rejected contact: %v", res[1].Err)
	}
	if !errors.As(res[2].Err, &ae) || ae.Status != 404 || !strings.Contains(res[2].Err.Error(), "9999") {
		t.Errorf("missing contact: %v", res[2].Err)
	}
	if res[3].Err == nil || !strings.Contains(res[3].Err.Error(), "account_id") {
		t.Errorf("a field Mautic has no equivalent for: %v", res[3].Err)
	}
	for _, i := range []int{1, 2, 3} {
		if _, retry := connect.Retryable(res[i].Err); retry {
			t.Errorf("result %d retryable: %v", i, res[i].Err)
		}
	}
}

func TestMergeIsRefusedWithWhatToDo(t *testing.T) {
	_, _, c := setup(t)
	if c.Describe().Supports(connect.OpMerge) {
		t.Fatal("mautic claims to merge")
	}
	res := c.Push(context.Background(), []connect.Change{{Key: "m", Op: connect.OpMerge, SystemID: "1", IntoID: "2"}})
	if !errors.Is(res[0].Err, connect.ErrUnsupported) || !strings.Contains(res[0].Err.Error(), "merge them in Mautic") {
		t.Errorf("merge: %v", res[0].Err)
	}
}

// After a 429 the rest of the batch is not sent, and waits as long.
func TestRateLimitHaltsTheRestOfTheBatch(t *testing.T) {
	fake, _, c := setup(t)
	ids := fake.Seed([]connecttest.Seed{{Email: "r1@example.com"}, {Email: "r2@example.com"}})
	fake.RateLimit(1, 9*time.Second)
	before := fake.Requests()
	res := c.Push(context.Background(), []connect.Change{
		{Key: "a", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed},
		{Key: "b", Op: connect.OpSuppress, SystemID: ids[1], Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed},
		{Key: "c", Op: connect.OpUpdateField, SystemID: ids[1], Field: "first_name", Value: "Z"},
	})
	for i, r := range res {
		if after, retry := connect.Retryable(r.Err); !retry || after != 9*time.Second {
			t.Errorf("change %d: retry %v after %v: %v", i, retry, after, r.Err)
		}
	}
	if n := fake.Requests() - before; n != 1 {
		t.Errorf("%d requests after a 429, want 1", n)
	}
}

// Neither the user name nor the password ever shows in an error or a log.
func TestSecretsStayOutOfErrorsAndLogs(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	fake := mauticfake.New(clock, user, password)
	defer fake.Close()
	var log bytes.Buffer
	c, err := connect.Open(config(fake.URL(), 0), env(fake, clock, "wrong-"+password, &log))
	if err != nil {
		t.Fatal(err)
	}
	ids := fake.Seed([]connecttest.Seed{{Email: "s@example.com"}})
	var msgs []string
	res := c.Push(context.Background(), []connect.Change{
		{Key: "a", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed},
		{Key: "b", Op: connect.OpUpdateField, SystemID: ids[0], Field: "first_name", Value: "Z"},
	})
	for _, r := range res {
		if r.Err == nil {
			t.Fatal("a wrong password was accepted")
		}
		msgs = append(msgs, r.Err.Error())
	}
	if !strings.Contains(res[0].Err.Error(), "API authorization denied") {
		t.Errorf("auth failure does not say so: %v", res[0].Err)
	}
	perr := c.Pull(context.Background(), func(context.Context, connect.Batch) error { return nil })
	if perr == nil {
		t.Fatal("pull with a wrong password succeeded")
	}
	msgs = append(msgs, perr.Error())
	_, err = connect.Open(connect.Config{Name: "m", File: "m.toml", Kind: mautic.Kind, URL: fake.URL(), UserEnv: "MAUTIC_USER", TokenEnv: "NOPE"},
		env(fake, clock, password, &log))
	if err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("missing secret variable: %v", err)
	}
	msgs = append(msgs, err.Error(), log.String())
	for _, m := range msgs {
		for _, secret := range []string{password, user} {
			if strings.Contains(m, secret) {
				t.Errorf("secret %q leaked in %q", secret, m)
			}
		}
	}
}

func TestOpenNeedsURL(t *testing.T) {
	cfg := config("", 0)
	_, err := connect.Open(cfg, connect.Env{Getenv: func(string) string { return "x" }})
	if err == nil || !strings.Contains(err.Error(), "url") {
		t.Errorf("no url: %v", err)
	}
}

// A merge delivery reaches the connector and dies with Mautic's own
// advice, which is what a person reads in the dead-letter list.
func TestMergeDeliveryDiesWithAdvice(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		_, clock, c := setup(t)
		_, err := st.DeliveriesInsert(ctx, &store.DeliveriesInsertParams{Deliveries: []store.Delivery{{Key: "prp_m/0/push/0",
			Connector: c.Describe().Name, Op: string(connect.OpMerge), SystemID: "2", IntoID: "1", ProposalID: "prp_m",
			NextAt: clock.Now(), CreatedAt: clock.Now()}}})
		if err != nil {
			t.Fatal(err)
		}
		dv := &connect.Deliverer{Store: st, Connectors: []connect.Connector{c}, Clock: clock}
		r, err := dv.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dead, err := st.DeliveriesList(ctx, &store.DeliveriesListParams{State: store.DeliveryDead})
		if err != nil {
			t.Fatal(err)
		}
		if r.Dead != 1 || len(dead) != 1 || !strings.Contains(dead[0].LastError, "merge them in Mautic") {
			t.Errorf("round %+v, dead %v", r, dead)
		}
	})
}
