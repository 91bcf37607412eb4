package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Value parsing for import columns. Every function takes a trimmed,
// non-empty string and returns an error whose text completes the sentence
// "<column> …" for a marketing-operations person: it quotes the value and
// says how to write it instead.

const dateExample = "2025-03-01"

// parseDate reads an ISO 8601 calendar date (2025-03-01) as UTC midnight.
func parseDate(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a real date (%s)", s, dateRangeText(err))
		}
		return t, nil
	}
	if len(s) > 10 && s[4] == '-' && (s[10] == 'T' || s[10] == ' ') {
		return time.Time{}, fmt.Errorf("%q has a time; this column takes a date only, like %s", s, dateExample)
	}
	return time.Time{}, fmt.Errorf("%q is not a date; %s", s, dateAdvice(s))
}

// parseTime reads an ISO 8601 date-time with a zone (2025-03-01T10:00:00Z,
// 2025-03-01T12:00:00+02:00, a space instead of T, fractions of a second)
// or a bare date, meaning UTC midnight. A date-time without a zone is
// refused: guessing the zone would shift every event by hours.
func parseTime(s string) (time.Time, error) {
	if len(s) == 10 {
		return parseDate(s)
	}
	if len(s) < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') {
		return time.Time{}, fmt.Errorf("%q is not a date-time; %s", s, timeAdvice(s))
	}
	v := s[:10] + "T" + s[11:]
	var rfcErr error
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		t, err := time.Parse(layout, v)
		if err == nil {
			return t.UTC(), nil
		}
		if rfcErr == nil {
			rfcErr = err
		}
	}
	if _, err := time.Parse("2006-01-02T15:04:05", v); err == nil {
		return time.Time{}, fmt.Errorf("%q has no time zone; add Z for UTC or an offset, like 2025-03-01T10:00:00Z "+
			"or 2025-03-01T10:00:00+02:00", s)
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return time.Time{}, fmt.Errorf("%q is not a real date (%s)", s, dateRangeText(err))
	}
	var pe *time.ParseError
	if errors.As(rfcErr, &pe) && pe.Message != "" {
		return time.Time{}, fmt.Errorf("%q is not a real date-time (%s)", s, dateRangeText(rfcErr))
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time; %s", s, timeAdvice(s))
}

func dateRangeText(err error) string {
	var pe *time.ParseError
	if errors.As(err, &pe) && pe.Message != "" {
		return strings.TrimPrefix(pe.Message, ": ")
	}
	return "out of range"
}

func dateAdvice(s string) string {
	if strings.ContainsAny(s, "/.") && strings.IndexFunc(s, isDigit) >= 0 {
		return fmt.Sprintf("write dates year-month-day, like %s (a date such as 03/01/2025 means 1 March "+
			"in some countries and 3 January in others)", dateExample)
	}
	return "write dates year-month-day (ISO 8601), like " + dateExample
}

func timeAdvice(s string) string {
	return dateAdvice(s) + ", or a date-time with a zone, like 2025-03-01T10:00:00Z"
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// parseInt reads a whole number written plainly (1234, -5). "12.0" is
// accepted because spreadsheets write whole numbers that way; "12.5" is
// not a whole number and is refused.
func parseInt(s string, bits int) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, bits); err == nil {
		return n, nil
	} else if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is too large", s)
	}
	if err := checkDecimal(s); err != nil {
		return 0, err
	}
	whole, frac, _ := strings.Cut(s, ".")
	if strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if whole == "" || whole == "-" || whole == "+" {
		return 0, nil
	}
	n, err := strconv.ParseInt(whole, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n, nil
}

// parseDecimal reads a plain decimal number: digits, an optional sign and
// an optional '.' fraction (1234.5, -0.25, .5). strconv.ParseFloat alone
// would also take "1e3", "Inf", "0x1p-2" and "1_000", none of which a
// spreadsheet means as money.
func parseDecimal(s string) (float64, error) {
	if err := checkDecimal(s); err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return f, nil
}

// checkDecimal accepts [+-]digits[.digits] with at least one digit, and
// otherwise explains the most likely mistake.
func checkDecimal(s string) error {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return fmt.Errorf("%q is not a plain number; %s", s, numberAdvice(s))
		}
	}
	if digits == 0 {
		return fmt.Errorf("%q is not a number; write plain numbers like 1234.5", s)
	}
	return nil
}

func numberAdvice(s string) string {
	switch {
	case strings.ContainsAny(s, "$€£¥"):
		return "remove the currency symbol (write 1234.5)"
	case strings.HasSuffix(s, "%"):
		return "remove the percent sign (write 12.5 for 12.5%)"
	case strings.Contains(s, ","):
		if isThousands(s) {
			return "remove the thousands separators (write 1234.5, not 1,234.5)"
		}
		return "use '.' for decimals (write 12.5, not 12,5)"
	case strings.Contains(s, " ") || strings.Contains(s, "\u00a0"):
		return "remove the spaces (write 1234.5)"
	case strings.ContainsAny(s, "eE"):
		return "write the number out in full (1500, not 1.5e3)"
	}
	return "write plain numbers like 1234.5"
}

// isThousands reports whether s groups digits in threes with commas
// (1,234 or 1,234,567.89) rather than using a decimal comma (12,5).
func isThousands(s string) bool {
	s = strings.TrimLeft(s, "+-")
	whole, _, _ := strings.Cut(s, ".")
	groups := strings.Split(whole, ",")
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}
