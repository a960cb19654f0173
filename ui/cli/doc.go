// Package cli is the command line's part of ui: everything `kiosk ledger`,
// `kiosk manager`, `kiosk emulator`, `kiosk api` and `kiosk central` print
// (tables, CSV and JSON, the X/Z report, the check's summary, the
// reconciliation, head office's report, status and verification, the
// verified answer of a call and its --verbose trace, the App-pay order
// string and the page/WAP pay URLs, the check of a legacy MD5
// notification, the emulator's banner and log lines) and the sentences of their errors
// (UsageError and SignatureError tell main which exit status to give).
//
// The words are ui/words' catalogue (say, in words.go, in the language main
// gives Speak) and the tables ui/figures' Table. JSON, which programs read,
// keeps the ledger's own names whatever the language; the CSV, which the
// accountant's spreadsheet reads, has its header and statuses in the
// language and its columns and cell formats the same in every one.
//
// Like package ui it imports pos only, never store or alipay. Each command
// is a function over a small interface declared here (Records,
// PINSetter, ChainBooks, Gateway) that a pos facade implements; main
// parses the flags, builds the facade and calls the function.
package cli
