package schema

import "strings"

// JoinAnd lists words as a sentence does: "a", "a and b", "a, b and c".
// Every plain-words message (notes, the board report) lists this way.
func JoinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// Words writes a snake_case name as words: delivery_health -> delivery health.
func Words(s string) string { return strings.ReplaceAll(s, "_", " ") }
