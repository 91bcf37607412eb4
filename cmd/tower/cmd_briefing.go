package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/store"
)

func (a *app) briefingCommand() *cobra.Command {
	var (
		forUser, since string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "briefing",
		Short: "Print a person's daily briefing: decisions waiting, what agents flagged and did, value delivered",
		Long: `Print the briefing of the last day (or --since): the decisions waiting for
the person, what agents flagged, what they did on their own, agents stopped,
promoted or demoted, the agents' week and the value delivered.

Whose briefing: --for USER; without it, TOWER_USER, else your login name if
it is a Tower user, else the workspace's only user. With several users and
none of these, Tower lists them and asks.

tower briefing send sends it now to the person's channels; tower serve sends
everyone's at their time. Channels, times, quiet hours and sections are set in
briefing.toml in the workspace (see docs/briefings.md).`,
		Example: `  tower briefing --for maya.okafor
  tower briefing --since 7d --json
  tower briefing send --for maya.okafor --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			window, err := parseWindow(since)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			u, err := a.briefingUser(ctx, st, forUser)
			if err != nil {
				return err
			}
			d, err := briefing.Build(ctx, st, u.Name, time.Now().UTC(), window)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, d)
			}
			_, err = fmt.Fprint(a.stdout, d.Text())
			return err
		},
	}
	cmd.PersistentFlags().StringVar(&forUser, "for", "", "whose briefing (a Tower user name)")
	cmd.PersistentFlags().StringVar(&since, "since", "24h", "how far back it looks: 24h, 36h, 7d")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.AddCommand(a.briefingSendCommand(&forUser, &since))
	return cmd
}

func (a *app) briefingSendCommand(forUser, since *string) *cobra.Command {
	var dryRun, asJSON, ignoreQuiet bool
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a person's briefing now to their channels in briefing.toml (Slack, e-mail)",
		Long: `Send a person's briefing now, to the channels briefing.toml gives them
(Slack, e-mail; the console always shows it and needs no sending). Each
channel sent is recorded in the audit log, so tower serve does not send that
day's briefing to it again.

--dry-run builds the messages and says what would go where, without sending.
Inside the person's quiet hours nothing is sent unless --ignore-quiet-hours.`,
		Example: `  tower briefing send --for maya.okafor --dry-run
  tower briefing send --for maya.okafor`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			window, err := parseWindow(*since)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			u, err := a.briefingUser(ctx, st, *forUser)
			if err != nil {
				return err
			}
			prefs, err := a.briefingPrefs(ctx, st)
			if err != nil {
				return err
			}
			s := prefs.For(u.Name, u.Email)
			channels := s.Pushed()
			if len(channels) == 0 {
				if asJSON {
					return printJSON(a.stdout, sendPlan{User: u.Name, Channels: []planChannel{}})
				}
				fmt.Fprintf(a.stdout, "%s gets the briefing on the console only, so there is nothing to send.\n"+
					"Add slack or email to their channels in %s to send it.\n", u.Name, prefs.File)
				return nil
			}
			now := time.Now().UTC()
			if s.InQuietHours(now) && !ignoreQuiet && !dryRun {
				return fmt.Errorf("it is %s for %s, inside their quiet hours (%s): nothing is sent now. "+
					"tower serve sends it when they end; --ignore-quiet-hours sends it anyway",
					now.In(s.Location).Format("15:04 MST"), u.Name, s.Quiet)
			}
			d := a.briefingDeliverer(st, prefs)
			o, err := d.Compose(ctx, s, channels, now.In(s.Location).Format(time.DateOnly), now.Add(-window), now)
			if err != nil {
				return err
			}
			if dryRun {
				return a.printSendPlan(o, prefs, asJSON)
			}
			sent, err := d.Send(ctx, o, now)
			if asJSON {
				if perr := printJSON(a.stdout, sendResult{User: u.Name, Day: o.Day, Sent: nonNil(sent), Error: errText(err)}); perr != nil {
					return perr
				}
			} else if len(sent) > 0 {
				fmt.Fprintf(a.stdout, "Sent %s's briefing by %s: %s.\n", u.Name, joinChannels(sent), o.Digest.Subject())
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be sent where, and send nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&ignoreQuiet, "ignore-quiet-hours", false, "send even inside the person's quiet hours")
	return cmd
}

// briefingUser picks whose briefing: --for, else TOWER_USER, else the
// login name when it is a Tower user, else the only user.
func (a *app) briefingUser(ctx context.Context, st store.Store, name string) (*store.User, error) {
	explicit := name != ""
	if !explicit {
		if v, ok := a.environ("TOWER_USER"); ok && v != "" {
			name, explicit = v, true
		}
	}
	if name == "" {
		if v, ok := a.environ("USER"); ok {
			name = v
		}
	}
	if name != "" {
		u, err := st.UserGet(ctx, &store.UserGetParams{Name: name})
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if explicit {
			names, _ := userNames(ctx, st)
			return nil, fmt.Errorf("no Tower user is called %q (users: %s)", name, names)
		}
	}
	us, err := st.UsersList(ctx, &store.UsersListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	var enabled []store.User
	for _, u := range us {
		if !u.Disabled {
			enabled = append(enabled, u)
		}
	}
	switch len(enabled) {
	case 0:
		return nil, errors.New("this workspace has no users yet: create one with tower users create NAME --role approver")
	case 1:
		return &enabled[0], nil
	}
	names, _ := userNames(ctx, st)
	return nil, fmt.Errorf("say whose briefing with --for USER (or set TOWER_USER); users: %s", names)
}

func userNames(ctx context.Context, st store.Store) (string, error) {
	us, err := st.UsersList(ctx, &store.UsersListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		return "", err
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	if len(names) == 0 {
		return "none yet", nil
	}
	return strings.Join(names, ", "), nil
}

// briefingPrefs reads the workspace's briefing.toml and checks that the
// people it names are users.
func (a *app) briefingPrefs(ctx context.Context, st store.Store) (*briefing.Preferences, error) {
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	prefs, err := briefing.LoadPrefs(ws.Dir)
	if err != nil {
		return nil, err
	}
	us, err := st.UsersList(ctx, &store.UsersListParams{Page: store.Page{Limit: 100000}})
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	return prefs, prefs.CheckUsers(us)
}

func (a *app) briefingDeliverer(st store.Store, prefs *briefing.Preferences) *briefing.Deliverer {
	return &briefing.Deliverer{Store: st, Prefs: prefs, Log: a.log(), Actor: "user:" + a.actor(),
		Getenv: func(k string) string { v, _ := a.environ(k); return v }}
}

// sendPlan is what --dry-run shows.
type sendPlan struct {
	User     string                 `json:"user"`
	Day      string                 `json:"day,omitempty"`
	Channels []planChannel          `json:"channels"`
	Slack    *briefing.SlackMessage `json:"slack,omitempty"`
	Email    *briefing.Mail         `json:"email,omitempty"`
}

type planChannel struct {
	Channel briefing.Channel `json:"channel"`
	// To is the e-mail address, or the variable holding the webhook.
	To string `json:"to"`
	// Ready is false when something is missing to send (Problem says what).
	Ready   bool   `json:"ready"`
	Problem string `json:"problem,omitempty"`
	Detail  string `json:"detail"`
}

type sendResult struct {
	User  string             `json:"user"`
	Day   string             `json:"day"`
	Sent  []briefing.Channel `json:"sent"`
	Error string             `json:"error,omitempty"`
}

func (a *app) printSendPlan(o *briefing.Outgoing, prefs *briefing.Preferences, asJSON bool) error {
	p := sendPlan{User: o.Settings.User, Day: o.Day, Slack: o.Slack, Email: o.Mail}
	for _, c := range o.Channels {
		pc := planChannel{Channel: c, Ready: true}
		switch c {
		case briefing.Slack:
			pc.To = "$" + o.Settings.SlackEnv
			pc.Detail = strconv.Itoa(len(o.Slack.Blocks)) + " blocks to the incoming webhook in " + o.Settings.SlackEnv
			if v, _ := a.environ(o.Settings.SlackEnv); v == "" {
				pc.Ready, pc.Problem = false, "the environment variable "+o.Settings.SlackEnv+" is not set"
			}
		case briefing.Email:
			pc.To = o.Settings.Email
			smtp := prefs.SMTP
			pc.Detail = fmt.Sprintf("%q from %s via %s:%d (STARTTLS %s)", o.Mail.Subject, smtp.From, smtp.Host, smtp.Port, smtp.StartTLS)
			if pc.To == "" {
				pc.Ready, pc.Problem = false, "Tower has no e-mail address for "+o.Settings.User
			}
		}
		p.Channels = append(p.Channels, pc)
	}
	if asJSON {
		return printJSON(a.stdout, p)
	}
	fmt.Fprintf(a.stdout, "Dry run: nothing is sent. %s's briefing for %s would go to:\n", p.User, p.Day)
	for _, c := range p.Channels {
		line := fmt.Sprintf("  %-6s %s", c.Channel, c.Detail)
		if c.Channel == briefing.Email {
			line = fmt.Sprintf("  %-6s to %s: %s", c.Channel, or(c.To, "(no address)"), c.Detail)
		}
		if !c.Ready {
			line += " — cannot send: " + c.Problem
		}
		fmt.Fprintln(a.stdout, line)
	}
	fmt.Fprintf(a.stdout, "\n%s", o.Digest.TextWithout(o.Settings.LeaveOut))
	return nil
}

func joinChannels(cs []briefing.Channel) string {
	var s []string
	for _, c := range cs {
		s = append(s, string(c))
	}
	return strings.Join(s, " and ")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseWindow reads --since: a Go duration (36h) or days (7d).
func parseWindow(s string) (time.Duration, error) {
	bad := fmt.Errorf("--since %q: write a duration such as 24h, 36h or 7d", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// demoBriefing prints the briefing of the demo team's marketing-ops
// lead (or, without the team, the demo admin), after the history
// replayed and today's run: what she finds this morning. The scorecards
// were printed with the history, so they are left out.
func (a *app) demoBriefing(ctx context.Context) error {
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	for _, name := range []string{"maya.okafor", demoAdmin} {
		u, err := st.UserGet(ctx, &store.UserGetParams{Name: name})
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		d, err := briefing.Build(ctx, st, u.Name, time.Now().UTC(), 24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "\n%s's briefing this morning (tower briefing --for %s; the console's Briefing page):\n\n", u.Name, u.Name)
		_, err = fmt.Fprint(a.stdout, indent(d.TextWithout(map[briefing.Section]bool{briefing.SectionScorecards: true}), "  "))
		return err
	}
	return nil
}

func indent(s, pad string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
