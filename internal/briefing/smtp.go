package briefing

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"
)

// Mailer sends briefings through the SMTP server of briefing.toml.
type Mailer struct {
	Config SMTP
	// Getenv reads the login's variables (default os.Getenv via the caller).
	Getenv func(string) string
	// TLS is the STARTTLS configuration (default: verify Config.Host).
	TLS *tls.Config
	// Timeout bounds the whole conversation (default 30s).
	Timeout time.Duration
	// Now stamps the Date header (default time.Now).
	Now func() time.Time
}

// Send delivers m: STARTTLS when the server offers it (and an error
// when it does not and starttls is required), AUTH only over TLS or to a
// server on this machine, then MAIL, RCPT, DATA and QUIT.
func (ml *Mailer) Send(ctx context.Context, m *Mail) error {
	c := ml.Config
	timeout := ml.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connecting to the mail server %s: %w: %w", addr, err, ErrRetryLater)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	client, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return smtpErr(addr, "greeting", err)
	}
	defer client.Close()
	if err := client.Hello("localhost"); err != nil {
		return smtpErr(addr, "EHLO", err)
	}
	encrypted := false
	if ok, _ := client.Extension("STARTTLS"); ok {
		cfg := ml.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
		}
		if err := client.StartTLS(cfg); err != nil {
			return smtpErr(addr, "STARTTLS", err)
		}
		encrypted = true
	} else if c.StartTLS != TLSOpportunistic {
		return fmt.Errorf("the mail server %s does not offer STARTTLS, and [smtp] starttls is %q: "+
			"use a server that encrypts, or set starttls = \"opportunistic\" for a relay on a trusted network", addr, TLSRequired)
	}
	if c.UsernameEnv != "" {
		user, pass := ml.getenv(string(c.UsernameEnv)), ml.getenv(string(c.PasswordEnv))
		if user == "" || pass == "" {
			return fmt.Errorf("[smtp] login: set the environment variables %s and %s", c.UsernameEnv, c.PasswordEnv)
		}
		if !encrypted && !loopback(c.Host) {
			return fmt.Errorf("refusing to send the mail login to %s unencrypted: the server did not offer STARTTLS", addr)
		}
		// PlainAuth itself refuses an unencrypted server that is not
		// localhost; the check above says why in plain words first.
		if err := client.Auth(smtp.PlainAuth("", user, pass, c.Host)); err != nil {
			return smtpErr(addr, "login (AUTH)", err)
		}
	}
	if err := client.Mail(m.From); err != nil {
		return smtpErr(addr, "sender (MAIL FROM "+m.From+")", err)
	}
	if err := client.Rcpt(m.To); err != nil {
		return smtpErr(addr, "recipient (RCPT TO "+m.To+")", err)
	}
	now := time.Now
	if ml.Now != nil {
		now = ml.Now
	}
	msg, err := m.Bytes(now())
	if err != nil {
		return err
	}
	w, err := client.Data()
	if err != nil {
		return smtpErr(addr, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return smtpErr(addr, "message", err)
	}
	if err := w.Close(); err != nil {
		return smtpErr(addr, "message", err)
	}
	if err := client.Quit(); err != nil {
		return smtpErr(addr, "QUIT", err)
	}
	return nil
}

func (ml *Mailer) getenv(k string) string {
	if ml.Getenv == nil {
		return ""
	}
	return ml.Getenv(k)
}

// smtpErr names the step that failed; 4xx answers and network errors may
// pass (ErrRetryLater), 5xx answers will not.
func smtpErr(addr, step string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		if te.Code >= 400 && te.Code < 500 {
			return fmt.Errorf("the mail server %s refused the %s for now: %d %s: %w", addr, step, te.Code, te.Msg, ErrRetryLater)
		}
		return fmt.Errorf("the mail server %s refused the %s: %d %s", addr, step, te.Code, te.Msg)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("the mail server %s stopped answering at the %s: %w: %w", addr, step, err, ErrRetryLater)
	}
	return fmt.Errorf("the mail server %s: %s: %w", addr, step, err)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
