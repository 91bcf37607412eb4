package briefing

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// Mail is a briefing as an e-mail: a subject, a plain-text part and an
// HTML part with the same content.
type Mail struct {
	From, To string
	Subject  string
	Text     string
	HTML     string
}

// emailHTML is the HTML part. html/template escapes every value for
// where it lands (text, attribute, URL), so a contact called
// "<script>…" or a template with markup shows as text, and only http(s)
// links survive in href.
var emailHTML = template.Must(template.New("briefing").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Heading}}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:720px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 4px">{{.Heading}}</h1>
<p style="color:#59636e;margin:0 0 4px">{{.Period}}</p>
<p style="margin:0 0 16px">{{.Summary}}</p>
{{range .Parts}}<h2 style="font-size:16px;margin:20px 0 6px">{{.Title}}</h2>
{{if .Lines}}<ul style="margin:0;padding-left:20px">
{{range .Lines}}<li>{{.Before}}{{if .Link}}<a href="{{.Link}}">{{.Label}}</a>{{else}}{{.Label}}{{end}}{{.After}}</li>
{{end}}</ul>
{{if gt .More 0}}<p style="color:#59636e">…and {{.More}} more in the console.</p>
{{end}}{{else}}<p style="color:#59636e;margin:0">{{.None}}</p>
{{end}}{{end}}
<p style="color:#59636e;font-size:12px;margin-top:24px">Sent by Tower.{{if .Console}} <a href="{{.Console}}">Open your briefing in the console</a>.{{end}}</p>
</body></html>
`))

// Mail renders the digest as an e-mail from from to to.
func (d *Digest) Mail(from, to string, o RenderOptions) (*Mail, error) {
	var html bytes.Buffer
	if err := emailHTML.Execute(&html, d.outline(o)); err != nil {
		return nil, fmt.Errorf("rendering the briefing e-mail: %w", err)
	}
	return &Mail{From: from, To: to, Subject: d.Subject(), Text: d.TextWithout(o.LeaveOut), HTML: html.String()}, nil
}

// Bytes is the message as sent over SMTP (RFC 5322, CRLF line ends):
// headers, then multipart/alternative with text/plain first and
// text/html last (the part mail clients prefer), both UTF-8 and
// quoted-printable so no line is too long for SMTP.
func (m *Mail) Bytes(now time.Time) ([]byte, error) {
	var body bytes.Buffer
	mp := multipart.NewWriter(&body)
	for _, p := range []struct{ typ, content string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mp.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(strings.ReplaceAll(p.content, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mp.Close(); err != nil {
		return nil, err
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := "tower.local"
	if _, d, ok := strings.Cut(m.From, "@"); ok {
		domain = d
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, headerSafe(v)) }
	header("From", m.From)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", headerSafe(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "multipart/alternative; boundary="+mp.Boundary())
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// headerSafe keeps a value on its header's line: no CR or LF can start a
// header of its own.
func headerSafe(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
