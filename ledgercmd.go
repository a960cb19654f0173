package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"kiosk/store"
)

// ledgerCommand prints one day of the ledger, or with "check" verifies the
// file. It opens the ledger read-only, so it works while a kiosk runs on the
// same data directory.
func ledgerCommand(args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return ledgerCheck(args[1:])
	}
	fs := flag.NewFlagSet("kiosk ledger", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	date := fs.String("date", "", "the `day` to show, YYYY-MM-DD (default today)")
	format := fs.String("format", "table", "output `format`: table, json or csv")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("ledger takes no arguments, got %q", fs.Arg(0))
	}
	st, err := store.Open(dataDir(*data, ""), store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if *date == "" {
		*date = st.DateOf(time.Now())
	}
	day, err := st.Day(*date)
	if err == nil {
		err = store.WriteDay(os.Stdout, day, *format)
	}
	if errors.Is(err, store.ErrBadDate) || errors.Is(err, store.ErrBadFormat) {
		return usageError{err}
	}
	return err
}

// ledgerCheck runs bbolt's consistency check and the ledger's own rules.
func ledgerCheck(args []string) error {
	fs := flag.NewFlagSet("kiosk ledger check", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	dir := dataDir(*data, "")
	st, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		return err
	}
	fmt.Printf("ledger in %s: consistent\n", dir)
	return nil
}
