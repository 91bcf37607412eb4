// Package segment is Tower's segment language: a CEL rule over a person,
// their account, their records, custom traits and event counts, checked
// for types and compiled to SQL for SQLite or PostgreSQL, so membership is
// computed inside the database instead of by loading people into Tower.
//
// A rule reads like:
//
//	account.industry == "Logistics" && person.title.contains("Operations") &&
//	    events.count("Pricing Viewed", days(30)) >= 2
//
// What a rule may use:
//
//   - person.email, first_name, last_name, title, phone, country, region,
//     account_id (text); person.created_at (a time); person.traits.NAME
//     (or traits.NAME) for custom columns;
//   - account.id, name, domain, industry, region, tier, lifecycle_stage,
//     owner_id (text); account.employees (a number); account.traits.NAME;
//     account.owns("PRODUCT_ID");
//   - events.count("EVENT") and events.count("EVENT", days(N)): how many
//     times the person did EVENT (ever, or in the last N days), compared
//     with a number;
//   - records.exists(r, r.system == "hubspot" && ...): some record of the
//     person, in any system, matches (r has the person fields plus system
//     and system_id);
//   - now (the time of the refresh), timestamp("2026-01-01T00:00:00Z") and
//     days(N), for rules like person.created_at > now - days(30);
//   - == != < <= > >= && || ! and `in ["a", "b"]`; on text .contains,
//     .startsWith, .endsWith and .lowerAscii(). Text comparisons are exact
//     (case matters), as in CEL.
//
// Values are never pasted into SQL: every literal becomes a bind argument,
// and trait names are passed as arguments too, so a rule (or a trait name
// from an import) can never change the statement's shape.
//
// A person without an account has empty account text fields and 0
// employees, so `account.industry != "Logistics"` includes them, as a
// marketer would expect.
package segment
