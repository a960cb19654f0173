// Package english finds English left in a text meant to be Chinese, for
// the tests that check that a Chinese screen, message or report says
// everything in Chinese (ui/words' catalogue), not in alipay's, the
// ledger's or the system's English.
package english

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// A Chinese text may name, as they are written, the facts a person types
// or looks for: settings (app_private_key), paths, URLs, flags, codes
// (ACQ.TRADE_NOT_EXIST), formats (PKCS#8 PEM), commands. Any other word of
// Latin letters in it is English that should have been translated.
var (
	// fact is what is quoted, a setting being set (gateway = ), and a
	// token with a mark no English word has: a path, a URL, a setting, a
	// flag, a code, a command (apt-get).
	fact = regexp.MustCompile("`[^`]*`" + `|"[^"]*"|[a-z_]+ = |\S*[_/.:=#@<>\[\]{}‹›*$%]\S*|\S*\d\S*|\S*\w-\w\S*|--?[a-z]\S*`)
	// latinWord is a run of Latin letters.
	latinWord = regexp.MustCompile(`[A-Za-z]+(?:'[a-z]+)?`)
	// namesAndCommands are the words a Chinese text may hold as they are:
	// names, and the words of commands to type.
	namesAndCommands = []string{"kiosk", "openssl", "pkey", "genpkey", "Alipay", "RSA", "API", "HTTP", "HTTPS", "URL",
		"DNS", "TLS", "ID", "PIN", "QR", "PEM", "PKCS", "SPKI", "SEC", "EC", "base", "X", "Z", "Ed", "NTP", "GB", "JSON", "CSV", "TOML"}
)

// Words lists the English words in s, a text meant to be Chinese:
// the Latin words outside facts, all-capital abbreviations, the names and
// commands above and the extra ones the caller allows.
func Words(s string, allowed ...string) []string {
	s = withoutQuotations(s)
	s = fact.ReplaceAllString(s, " ")
	var found []string
	for _, w := range latinWord.FindAllString(s, -1) {
		switch {
		case len(w) == 1: // a key to press, X of the X report
		case strings.ToUpper(w) == w && len(w) <= 6: // an abbreviation: RSA2 (its digit gone), PEM
		case slices.Contains(namesAndCommands, w), slices.Contains(allowed, w):
		default:
			found = append(found, w)
		}
	}
	return found
}

// withoutQuotations is s with each text quoted as it was written ("…",
// “…”) made a blank: another program's message marked as its quotation
// (words.System.Quoted), a value typed into a file. They are taken out
// first, so that a quotation run on from Chinese with no space before it
// is taken whole.
func withoutQuotations(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "\"“")
		if i < 0 {
			return b.String() + s
		}
		closing := "\""
		if strings.HasPrefix(s[i:], "“") {
			closing = "”"
		}
		_, open := utf8.DecodeRuneInString(s[i:])
		j := strings.Index(s[i+open:], closing)
		if j < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		b.WriteString(" ")
		s = s[i+open+j+len(closing):]
	}
}
