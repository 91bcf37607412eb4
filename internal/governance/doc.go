// Package governance decides, for every proposal, whether it may run on
// its own, needs a person's approval, or must not happen.
//
// The Engine gathers each action's rule variables, and the workspace's Pack
// (policies/*.yaml) decides from its CEL rules, the autonomy level (set or
// earned), and the caps: the strictest effect wins. Around the decision sit
// earned autonomy (Earner), the circuit breaker (Breaker), the kill switch,
// and durable approvals with escalation (Escalator, Inbox). docs/governance.md
// explains it to the people who use it.
package governance
