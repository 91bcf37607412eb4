// Tower console: live updates. Every page works without this file; it
// only keeps the inbox count current over server-sent events.
