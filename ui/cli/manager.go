package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"kiosk/pos"
)

// PINSetter is the ledger's manager settings. *pos.Settings implements it.
type PINSetter interface {
	SetManagerPIN(pin string) error
}

// OpeningSettings words why the ledger in dir could not be opened to set
// the manager PIN.
func OpeningSettings(err error, dir string) error {
	if errors.As(err, new(*pos.LedgerInUseError)) {
		return Usagef("the kiosk on %s is running; close it first (the PIN is kept in its ledger)", dir)
	}
	return LedgerTrouble(err, dir)
}

// SetPIN asks for a new manager PIN twice (without echo on a terminal,
// two lines from a pipe, so scripts can set it too) and sets it.
func SetPIN(in io.Reader, out io.Writer, s PINSetter) error {
	pin, err := readNewPIN(in, out)
	if err != nil {
		return err
	}
	if err := s.SetManagerPIN(pin); err != nil {
		return UsageError{err}
	}
	fmt.Fprintln(out, "Manager PIN set. Refunds and closing the day will ask for it.")
	return nil
}

func readNewPIN(in io.Reader, out io.Writer) (string, error) {
	read := lineReader(in, out)
	first, err := read("New manager PIN (4–12 digits): ")
	if err != nil {
		return "", err
	}
	if err := pos.CheckPINShape(first); err != nil {
		return "", UsageError{err}
	}
	again, err := read("Again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", Usagef("the two PINs differ; nothing was changed")
	}
	return first, nil
}

func lineReader(in io.Reader, out io.Writer) func(prompt string) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return func(prompt string) (string, error) {
			fmt.Fprint(out, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(out)
			return strings.TrimSpace(string(b)), err
		}
	}
	scanner := bufio.NewScanner(in)
	return func(string) (string, error) {
		if !scanner.Scan() {
			return "", Usagef("expected the PIN twice on standard input, one per line")
		}
		return strings.TrimSpace(scanner.Text()), nil
	}
}
