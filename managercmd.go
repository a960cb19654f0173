package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"kiosk/store"
)

// managerCommand holds the manager's settings; for now the PIN that
// approves refunds and closes the day.
func managerCommand(args []string, in *os.File, out io.Writer) error {
	if len(args) == 0 || args[0] != "set-pin" {
		return usagef("manager needs a subcommand: set-pin")
	}
	fs := flag.NewFlagSet("kiosk manager set-pin", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err}
	}
	dir := dataDir(*data, "")
	st, err := store.Open(dir, store.Options{})
	if errors.Is(err, store.ErrLocked) {
		return usagef("the kiosk on %s is running; close it first (the PIN is kept in its ledger)", dir)
	}
	if err != nil {
		return explainLedgerTrouble(err, dir)
	}
	defer st.Close()
	pin, err := readNewPIN(in, out)
	if err != nil {
		return err
	}
	if err := st.SetManagerPIN(pin); err != nil {
		return usageError{err}
	}
	fmt.Fprintln(out, "Manager PIN set. Refunds and closing the day will ask for it.")
	return nil
}

// readNewPIN asks twice without echo on a terminal; from a pipe it reads
// two lines, so scripts can set the PIN too.
func readNewPIN(in *os.File, out io.Writer) (string, error) {
	read := lineReader(in, out)
	first, err := read("New manager PIN (4–12 digits): ")
	if err != nil {
		return "", err
	}
	if err := store.CheckPINShape(first); err != nil {
		return "", usageError{err}
	}
	again, err := read("Again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", usagef("the two PINs differ; nothing was changed")
	}
	return first, nil
}

func lineReader(in *os.File, out io.Writer) func(prompt string) (string, error) {
	if term.IsTerminal(int(in.Fd())) {
		return func(prompt string) (string, error) {
			fmt.Fprint(out, prompt)
			b, err := term.ReadPassword(int(in.Fd()))
			fmt.Fprintln(out)
			return strings.TrimSpace(string(b)), err
		}
	}
	scanner := bufio.NewScanner(in)
	return func(string) (string, error) {
		if !scanner.Scan() {
			return "", usagef("expected the PIN twice on standard input, one per line")
		}
		return strings.TrimSpace(scanner.Text()), nil
	}
}
