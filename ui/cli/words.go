package cli

import "kiosk/ui/words"

// say is the command line's catalogue. The command line speaks English
// until the kiosk has a setting for its language; this is where it goes.
// Machine-read output (CSV and JSON) keeps the ledger's own names
// (statuses, "open", a Z report's stored title) whatever the language.
var say = words.English

// yuan is fen as a person reads it, "¥12.34".
func yuan(fen int64) string { return words.Yuan(fen).String() }

// formatFen is fen as CSV and JSON hold it, "12.34".
func formatFen(fen int64) string { return words.Amount(fen) }
