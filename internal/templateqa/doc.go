// Package templateqa checks e-mail templates the way each platform will
// render them: syntax in the template's dialect (Liquid or Handlebars),
// merge fields against the foundation, fallbacks against sample
// recipients (always including ones missing each field), other platforms'
// syntax pasted in, legally required content, brand rules and every link
// against the UTM taxonomy. Findings carry file:line:col, a rule id, a
// severity and, where the fix is mechanical, the fix itself.
package templateqa
