// Package replay gives the demo workspace a history: it runs the demo's
// agents over simulated days while a simulated marketing-operations team
// decides on what they propose, so scorecards, trends and the audit log
// have weeks of real decisions to show the first time someone opens the
// console.
//
// Nothing here writes to the store directly. Every proposal comes from a
// real skill run (fleet.Runner with the simulated time), every verdict
// from fleet.Lifecycle.Decide or Edit under the workspace's policies,
// every change from the executors through Lifecycle.ExecuteOnce and Undo,
// every escalation and timeout from governance.Escalator. The replay only
// chooses, with a seeded random source, who decides what and when; its
// Log says what it chose, so tests can compute expected figures by hand.
package replay
