// Package words is every sentence the kiosk shows a cashier, a manager or
// a developer, one catalogue per language: English in en.go, Simplified
// Chinese in zh.go, and another language is another file.
//
// The kiosk speaks the language the shop sets (--lang, lang in the config,
// KIOSK_LANG), else the locale's: FromLocale reads LC_ALL, LC_MESSAGES and
// LANG as the C library does, and a zh_* locale is Chinese.
//
// A catalogue is a Words value: a struct with one field per sentence,
// grouped by the screen or command that shows it, so a key is a field name
// the compiler checks and a sentence with blanks has the types of its
// blanks in its field's type:
//
//	say := words.English
//	say.Sale.ScanToPay                       // "Scan with Alipay to pay"
//	say.Sale.TimeLeft.F(1, 5)                // F2[int, int]: "Time left 1:05"
//	say.Refund.Done.F(words.Yuan(300), "K1") // a Yuan prints as "¥3.00"
//	say.Check.Sales.F(1)                     // Count: "1 sale", "2 sales"
//
// The blanks are fmt verbs, so a language puts them in its own order with
// explicit indexes ("%[2]s … %[1]s"). A Count is a sentence about a number
// of things: One for exactly one, Other for any other number; a language
// without a singular (Chinese) sets Lang.Singular false and leaves One
// empty. Money is fen throughout and becomes text only here: Yuan
// ("¥12.34") and Amount ("12.34") are the one formatter package ui and its
// subpackages use. Widths on screen are display widths: a Chinese
// character takes two cells, and the tables (ui/figures) measure them so.
//
// Errors reach the words as pos's typed values: Explain words what
// pos.Classify makes of an error, EventText an event of a sale's history
// (the ledger's fact and pos's note), KeyFaultText and CertFaultText what
// is wrong with a key or certificate file, and none ever reads an error's
// message to make a sentence.
//
// # Adding a language
//
// Copy en.go to a file of the language's own (zh.go was made so), rename
// English after the language, set its Lang (Lang{Tag: "zh", Singular:
// false}), translate every string, and add it to All.
// TestEveryLanguageSaysEverything fails on any field left
// empty, on a blank whose verb does not suit its type, and on a blank
// left out, so a missing translation is a failing test, never English on a
// Chinese screen.
package words

import (
	"fmt"
	"strings"
)

// Lang says which language a catalogue is in and how it counts.
type Lang struct {
	Tag string // BCP 47: "en", "zh"
	// Singular: the language has a form for exactly one thing (English
	// "1 sale", "2 sales"); Chinese does not.
	Singular bool
}

// All are the catalogues there are, English first.
var All = []*Words{English, Chinese}

// For is the catalogue of the language tag names, and whether there is
// one: a BCP 47 tag ("en", "zh-CN" finds "zh") or a locale's name
// ("zh_CN.UTF-8", "en_US").
func For(tag string) (*Words, bool) {
	base := strings.ToLower(tag)
	if i := strings.IndexAny(base, "-_.@"); i >= 0 {
		base = base[:i]
	}
	for _, w := range All {
		if w.Lang.Tag == base {
			return w, true
		}
	}
	return nil, false
}

// Tags are the languages' tags, "en|zh", as a flag's usage offers them.
func Tags() string {
	tags := make([]string, len(All))
	for i, w := range All {
		tags[i] = w.Lang.Tag
	}
	return strings.Join(tags, "|")
}

// FromLocale is the catalogue of the locale that getenv (os.Getenv)
// describes: the first of LC_ALL, LC_MESSAGES and LANG that is set decides,
// as it does for the C library's messages, and a Chinese locale ("zh_CN.UTF-8",
// "zh_SG") is Chinese. Anything else ("C", "POSIX", "en_US.UTF-8", a locale
// the kiosk has no catalogue for, nothing set) is English.
func FromLocale(getenv func(string) string) *Words {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if w, ok := For(v); ok {
				return w
			}
			return English
		}
	}
	return English
}

// F1 to F6 are sentences with one to six blanks of the given types, in
// fmt's verbs.
type (
	F1[A any]                string
	F2[A, B any]             string
	F3[A, B, C any]          string
	F4[A, B, C, D any]       string
	F5[A, B, C, D, E any]    string
	F6[A, B, C, D, E, G any] string
)

// F fills the blanks.
func (f F1[A]) F(a A) string { return fmt.Sprintf(string(f), a) }

// F fills the blanks.
func (f F2[A, B]) F(a A, b B) string { return fmt.Sprintf(string(f), a, b) }

// F fills the blanks.
func (f F3[A, B, C]) F(a A, b B, c C) string { return fmt.Sprintf(string(f), a, b, c) }

// F fills the blanks.
func (f F4[A, B, C, D]) F(a A, b B, c C, d D) string { return fmt.Sprintf(string(f), a, b, c, d) }

// F fills the blanks.
func (f F5[A, B, C, D, E]) F(a A, b B, c C, d D, e E) string {
	return fmt.Sprintf(string(f), a, b, c, d, e)
}

// F fills the blanks.
func (f F6[A, B, C, D, E, G]) F(a A, b B, c C, d D, e E, g G) string {
	return fmt.Sprintf(string(f), a, b, c, d, e, g)
}

// Count is a sentence about n things, n its first blank: One when n is 1
// and the language has a singular, Other otherwise.
type Count struct{ One, Other string }

// F says the sentence for n.
func (c Count) F(n int) string { return fmt.Sprintf(c.form(n), n) }

func (c Count) form(n int) string {
	if n == 1 && c.One != "" {
		return c.One
	}
	return c.Other
}

// Count1 is a Count with one more blank after the number.
type Count1[A any] struct{ One, Other string }

// F says the sentence for n and a.
func (c Count1[A]) F(n int, a A) string { return fmt.Sprintf(Count(c).form(n), n, a) }

// Count2 is a Count with two more blanks after the number; the sentence
// may put them anywhere with explicit indexes (%[2]s).
type Count2[A, B any] struct{ One, Other string }

// F says the sentence for n, a and b.
func (c Count2[A, B]) F(n int, a A, b B) string { return fmt.Sprintf(Count(c).form(n), n, a, b) }

// Count3 is a Count with three more blanks after the number.
type Count3[A, B, C any] struct{ One, Other string }

// F says the sentence for n, a, b and c.
func (c Count3[A, B, C]) F(n int, a A, b B, d C) string {
	return fmt.Sprintf(Count(c).form(n), n, a, b, d)
}

// Count4 is a Count with four more blanks after the number.
type Count4[A, B, C, D any] struct{ One, Other string }

// F says the sentence for n, a, b, c and d.
func (c Count4[A, B, C, D]) F(n int, a A, b B, d C, e D) string {
	return fmt.Sprintf(Count(c).form(n), n, a, b, d, e)
}
