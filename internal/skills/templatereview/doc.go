// Package templatereview is the template-qa skill: whenever templates are
// imported (and every morning) it lints each one in its platform's dialect
// against sample recipients from the foundation and the workspace's brand
// and UTM rules, and proposes the mechanical fixes as a diff
// (fix_template) and the rest as a task for a person.
//
// Audience, which samples recipients and lists the fields that exist, is
// shared with `tower lint templates`, so the command and the skill judge
// a template the same way.
package templatereview
