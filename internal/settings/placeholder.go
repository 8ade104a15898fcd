package settings

import "strings"

// placeholderWords appear in example and template secrets, never in a
// randomly generated one.
var placeholderWords = []string{
	"changeme", "change-me", "change_me", "change-this", "change_this", "changethis",
	"replaceme", "replace-me", "replace_me", "placeholder", "insecure", "example",
	"your-secret", "your_secret", "yoursecret", "secret-key", "secret_key", "secretkey",
	"mysecret", "supersecret", "notasecret", "not-a-secret", "dummy", "default",
	"password", "passw0rd", "fixme", "xxxxxxxx", "12345678", "qwerty",
}

// placeholderPrefixes start well-known generated-but-public keys, such as
// the one a new Django project ships with.
var placeholderPrefixes = []string{"django-insecure-"}

// weakSecret returns why secret looks like a placeholder, or "".
func weakSecret(secret string) string {
	lower := strings.ToLower(secret)
	for _, p := range placeholderPrefixes {
		if strings.HasPrefix(lower, p) {
			return "starts with " + p + ", the mark of a published key"
		}
	}
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return "contains " + `"` + w + `"` + ", so it looks like a placeholder"
		}
	}
	if distinct(secret) < 8 {
		return "uses fewer than 8 different characters"
	}
	if p := period(secret); p > 0 && p <= 8 {
		return "repeats the same short pattern"
	}
	return ""
}

// distinct counts the different bytes of s.
func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// period returns the length of the shortest unit that s repeats, or 0 when
// s is no repetition.
func period(s string) int {
	for p := 1; p <= len(s)/2; p++ {
		if strings.Repeat(s[:p], len(s)/p+1)[:len(s)] == s {
			return p
		}
	}
	return 0
}
