// Package connect is how Tower talks to the systems a marketing team
// already runs: a CRM, a marketing-automation platform, an e-mail service,
// a folder of exports, a webhook. Each is a Connector: it describes
// itself, pulls records and consent into the foundation, and pushes the
// changes executors made (suppress, unsuppress, merge, update a field)
// back to the records it holds.
//
// # Configuration
//
// A workspace configures one connector per file, connectors/NAME.toml:
//
//	kind      = "hubspot"        # which connector (see Kinds)
//	system    = "crm"            # the system name its records carry in Tower
//	token_env = "HUBSPOT_TOKEN"  # the environment variable holding the secret
//
// Secrets never live in the file and are never logged: the file names an
// environment variable, and Load reads it.
//
// # Delivery
//
// Pushing is never done inside an executor. An executor that changes a
// record of a connected system enqueues a store.Delivery in the same
// transaction (see action.Outbox), and a Deliverer pushes due deliveries
// in batches, with the delivery's key as idempotency key, exponential
// backoff with jitter between attempts, the remote side's Retry-After
// honoured, each record of a partly failed batch retried on its own, and
// a delivery that keeps failing moved to the dead-letter list for a
// person to retry (tower deliveries list|retry).
//
// Connector kinds register themselves by name in init, like
// database/sql drivers: connect.Register("hubspot", open).
package connect
