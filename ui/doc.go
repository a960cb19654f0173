// Package ui is the cashier's terminal: Bubble Tea models and views for the
// sale screen, the QR screen with its countdown, and the receipt.
//
// The package talks to package pos only, through the Checkout interface;
// it never sees Alipay or the ledger. Every slow call (start, poll, cancel)
// runs in a tea.Cmd and comes back as a message stamped with the sale's
// order number, so an answer that arrives after its sale has ended is
// dropped. Time comes from the Checkout's clock and from chains of timed
// messages (Options.After, tea.Tick by default); each sale has one chain
// of scheduled polls, tagged so that a stray one dies.
package ui
