// Package knowledge loads and validates a workspace's knowledge folder:
// the product truth, offers, messaging, brand rules and UTM taxonomy that
// skills read instead of guessing. Each file is owned by a team and says
// when it was last reviewed; skills receive only the layers their manifest
// declares.
package knowledge
