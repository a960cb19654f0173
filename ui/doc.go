// Package ui is the cashier's terminal: Bubble Tea models and views for the
// sale screen, the QR screen with its countdown, the scan screen for the
// customer's payment code (scan.go) and the wait for its confirmation on
// the phone, the receipt, and the manager's back office.
//
// The package talks to package pos only, through small interfaces declared
// here by screen family: Counter for the sale, BackOffice for the
// manager's screens, HeadOffice for the title bar's note (Checkout is the
// three together, as *pos.Register implements them). It never sees Alipay
// or the ledger: what it shows are pos's types and pos's typed errors.
//
// Every sentence on the screens comes from the catalogue of ui/words
// (Options.Words, English by default): errors and notes reach the screens
// as pos's values (a Problem, a Note, a Reason) and words says them. Every
// table goes through ui/figures' Table, which measures display width (a
// Chinese character takes two cells), and each screen owns its help: a
// help.KeyMap of the keys that work on it as it stands (help.go), drawn
// with bubbles/help.
//
// Its subpackages keep the same rule. ui/cli is what the command line
// prints; ui/figures the tables, and the rows a report's screen and its
// printout share. Whatever else a person reads goes under ui too: a
// receipt printer's driver in its own subpackage (ui/escpos, ESC/POS,
// printing the receipt text ui makes), and the words in one catalogue per
// language, so that a second language is a second file (ui/words).
//
// Every slow call (start, poll, cancel) runs in a tea.Cmd and comes back as
// a message stamped with the sale's order number, so an answer that
// arrives after its sale has ended is dropped. Time comes from the
// Counter's clock and from chains of timed messages (Options.After,
// tea.Tick by default); each sale has one chain of scheduled polls, tagged
// so that a stray one dies. The keys of the sale screen are timed by
// Options.Clock, to tell a barcode scanner's burst from typing.
//
// The screen is drawn by Program (draw.go) as soon as an Update has made
// a new view, on the event loop, rather than at the next tick of Bubble
// Tea's frame clock: a receipt is on the terminal before the next message
// is handled.
package ui
