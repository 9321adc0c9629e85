package ui

import (
	"strconv"
	"strings"
	"time"
)

// DefaultIncrement is the billing increment when the firm sets none: 0.1 h.
const DefaultIncrement = 6 * time.Minute

// BilledDuration rounds a talk time up to the firm's increment, the way
// Clio bills it: any started increment counts. Zero stays zero; an
// increment of zero or less means no rounding.
func BilledDuration(d, increment time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	if increment <= 0 {
		return d
	}
	n := d / increment
	if d%increment != 0 {
		n++
	}
	return n * increment
}

// Hours formats a duration as decimal hours for a time entry: "0.1 h",
// "0.25 h", "1.5 h", with at most two decimals and no trailing zeros.
func Hours(d time.Duration) string {
	h := d.Hours()
	s := strconv.FormatFloat(h, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-0" {
		s = "0"
	}
	return s + " h"
}

// IncrementLabel names an increment: "6-minute increments".
func IncrementLabel(increment time.Duration) string {
	if increment <= 0 {
		return "no rounding"
	}
	if increment%time.Minute == 0 {
		return strconv.Itoa(int(increment/time.Minute)) + "-minute increments"
	}
	return increment.String() + " increments"
}
