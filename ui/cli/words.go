package cli

import "kiosk/ui/words"

// say is the command line's catalogue: English until main sets the
// shop's language with Speak.
var say = words.English

// Speak sets the language the command line prints in: its tables, reports
// and messages, and the CSV's header and statuses, since the CSV is for
// the accountant's spreadsheet (its columns' order and its cells' formats
// stay the same in every language). JSON, which programs read, keeps the
// ledger's own names (statuses, "open", a Z report's stored title)
// whatever the language.
func Speak(w *words.Words) { say = w }

// yuan is fen as a person reads it, "¥12.34".
func yuan(fen int64) string { return words.Yuan(fen).String() }

// formatFen is fen as CSV and JSON hold it, "12.34".
func formatFen(fen int64) string { return words.Amount(fen) }
