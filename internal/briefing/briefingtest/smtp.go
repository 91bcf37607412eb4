package briefingtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// SMTP is a small SMTP server on 127.0.0.1 (RFC 5321: EHLO, HELO,
// STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps
// every message it accepts.
type SMTP struct {
	Addr string
	// TLS, when set before the first connection (NewSMTPTLS), makes the
	// server offer STARTTLS.
	TLS *tls.Config
	// rejectRcpt is answered 550 at RCPT TO (Reject).
	rejectRcpt string

	ln   net.Listener
	mu   sync.Mutex
	mail []Mail
	wg   sync.WaitGroup
}

// Mail is one accepted message.
type Mail struct {
	From string
	To   []string
	Data string
	// TLS says the message came over an encrypted connection; Auth is the
	// "user:password" of AUTH PLAIN, if any.
	TLS  bool
	Auth string
}

// NewSMTP starts a server without STARTTLS; it stops when the test ends.
func NewSMTP(t testing.TB) *SMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTP{Addr: ln.Addr().String(), ln: ln}
	s.wg.Go(s.accept)
	t.Cleanup(func() {
		_ = ln.Close()
		s.wg.Wait()
	})
	return s
}

// NewSMTPTLS starts a server that offers STARTTLS with a certificate for
// 127.0.0.1; roots trusts it.
func NewSMTPTLS(t testing.TB) (s *SMTP, roots *x509.CertPool) {
	cert, pool := selfSigned(t)
	s = NewSMTP(t)
	s.mu.Lock()
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s.mu.Unlock()
	return s, pool
}

// Reject makes RCPT TO address answer 550 (no such mailbox).
func (s *SMTP) Reject(address string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = address
}

// Port is the port the server listens on.
func (s *SMTP) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Mails are the messages accepted so far.
func (s *SMTP) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

func (s *SMTP) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() { s.session(c) })
	}
}

func (s *SMTP) session(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	s.mu.Lock()
	tlsCfg, reject := s.TLS, s.rejectRcpt
	s.mu.Unlock()
	tp := textproto.NewConn(c)
	say := func(lines ...string) {
		for i, l := range lines {
			sep := " "
			if i < len(lines)-1 {
				sep = "-"
			}
			_ = tp.PrintfLine("%s%s%s", l[:3], sep, l[4:])
		}
	}
	say("220 127.0.0.1 fake ESMTP ready")
	var m Mail
	encrypted := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			ext := []string{"250 127.0.0.1 greets you", "250 8BITMIME", "250 AUTH PLAIN"}
			if tlsCfg != nil && !encrypted {
				ext = append(ext, "250 STARTTLS")
			}
			say(ext...)
		case "HELO":
			say("250 127.0.0.1")
		case "STARTTLS":
			if tlsCfg == nil || encrypted {
				say("502 5.5.1 not offered")
				continue
			}
			say("220 2.0.0 go ahead")
			tc := tls.Server(c, tlsCfg)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, encrypted = tc, true
			tp = textproto.NewConn(tc)
			m = Mail{}
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") {
				say("504 5.5.4 only PLAIN")
				continue
			}
			b, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(b), "\x00")
			if err != nil || len(parts) != 3 {
				say("501 5.5.2 bad AUTH PLAIN")
				continue
			}
			m.Auth = parts[1] + ":" + parts[2]
			say("235 2.7.0 authenticated")
		case "MAIL":
			m.From = addr(arg)
			say("250 2.1.0 ok")
		case "RCPT":
			to := addr(arg)
			if reject != "" && to == reject {
				say("550 5.1.1 no such mailbox")
				continue
			}
			m.To = append(m.To, to)
			say("250 2.1.5 ok")
		case "DATA":
			if m.From == "" || len(m.To) == 0 {
				say("503 5.5.1 MAIL and RCPT first")
				continue
			}
			say("354 end with <CRLF>.<CRLF>")
			data, err := tp.ReadDotBytes() // undoes dot-stuffing
			if err != nil {
				return
			}
			m.Data, m.TLS = string(data), encrypted
			s.mu.Lock()
			s.mail = append(s.mail, m)
			s.mu.Unlock()
			m = Mail{Auth: m.Auth}
			say("250 2.0.0 queued")
		case "RSET":
			m = Mail{Auth: m.Auth}
			say("250 2.0.0 ok")
		case "NOOP":
			say("250 2.0.0 ok")
		case "QUIT":
			say("221 2.0.0 bye")
			return
		default:
			say("500 5.5.2 unknown command")
		}
	}
}

// addr reads the address of "FROM:<a@b.c> BODY=8BITMIME".
func addr(arg string) string {
	_, rest, _ := strings.Cut(arg, ":")
	rest, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
	return strings.Trim(rest, "<>")
}

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
