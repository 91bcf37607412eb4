// Package linkaudit is the link-audit skill: it checks every campaign's
// landing link against the workspace's UTM taxonomy and proposes the
// correctly tagged URL (update_field on the campaign, undoable). Links
// inside templates are template-qa's; `tower lint links` reports both.
package linkaudit
