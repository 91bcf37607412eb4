// Package demo generates Tower's demo workspace: the marketing data of a
// believable B2B SaaS company ("Tallyfield", an analytics platform sold to
// mid-market and enterprise teams), written as an import bundle that
// `tower import DIR` loads, plus truth.json, the list of facts planted in
// that data.
//
// The bundle is meant to be lived in, not just loaded: the same humans
// appear as a CRM contact, a marketing-automation lead and an ESP
// subscriber; some of them unsubscribed in one system and were never
// suppressed in another; some bounced and nobody told the CRM; a handful
// exist twice under a nickname or a typo; a few campaigns start to fade on
// a known day; a segment quietly converts far above the rest. Each of those
// is written down in truth.json with the ids, systems, dates and numbers a
// skill's test needs to score itself, so the demo doubles as the fixture
// that proves the skills find what a marketing-operations person would.
//
// Planted facts come with their traps. A newer explicit opt-in that
// overrides an older unsubscribe is planted next to the real conflicts and
// marked "should not be flagged"; a policy bounce (5.7.x, the sender's own
// authentication failing) is marked "do not propagate"; integration users
// that never log in are marked "exclude" in the licence audit.
//
// The bundle holds owners.csv, accounts.csv, products.csv, people.csv (one
// row per record per system: "crm" 18-character Salesforce-style ids,
// "map" numeric Marketo-style lead ids, "esp" Mailchimp-style subscriber
// hashes), consent.csv, holdings.csv, campaigns.csv, campaign_days.csv,
// events.ndjson (Segment messages; userId is the person's MAP, else CRM,
// else ESP id), licenses.csv, license_usage.csv and templates/. Facts in
// truth.json name records by (system, system_id) and people by normalised
// e-mail, never by database ids, so a test imports the bundle and maps
// them through the records table:
//
//	truth, _ := demo.Generate(ctx, dir, demo.Config{People: 3000, Accounts: 300})
//	// import dir, run the skill, then for each truth.Kind(demo.KindSuppressionConflict)
//	// check the skill proposed to suppress exactly the fact's Lagging records.
//
// Output is reproducible: the same Seed and Config give byte-identical
// files. Every part of the company is drawn from its own random stream
// (PCG seeded from Seed and a fixed stream number), so changing how
// campaigns are drawn does not reshuffle the people. Nothing reads the
// clock: Config.Now is the demo's "today".
package demo
