// Package cli is the command line's part of ui: everything `kiosk ledger`,
// `kiosk manager`, `kiosk emulator`, `kiosk api` and `kiosk central` print
// (tables, CSV and JSON, the X/Z report, the check's summary, the
// reconciliation, head office's report, status and verification, the
// verified answer of a call and its --verbose trace, the emulator's banner)
// and the sentences of their errors (UsageError and SignatureError tell
// main which exit status to give).
//
// Like package ui it imports pos only, never store or alipay. Each command
// is a function over a small interface declared here (Records,
// PINSetter, ChainBooks, Gateway) that a pos facade implements; main
// parses the flags, builds the facade and calls the function.
package cli
