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
		return UsageError{advised{say.CLI.PINKioskRuns.F(dir), err}}
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
		return UsageError{said(err)}
	}
	fmt.Fprintln(out, say.CLI.PINSet)
	return nil
}

func readNewPIN(in io.Reader, out io.Writer) (string, error) {
	read := lineReader(in, out)
	first, err := read(say.CLI.NewPIN)
	if err != nil {
		return "", err
	}
	if err := pos.CheckPINShape(first); err != nil {
		return "", UsageError{said(err)}
	}
	again, err := read(say.CLI.PINAgain)
	if err != nil {
		return "", err
	}
	if first != again {
		return "", Usage(errors.New(say.CLI.PINsDiffer))
	}
	return first, nil
}

func lineReader(in io.Reader, out io.Writer) func(prompt string) (string, error) {
	return linesReader(in, out, say.CLI.PINTwice)
}

// linesReader reads a secret per prompt: without echo from a terminal, a
// line at a time from a pipe, missing saying what a pipe ran short of.
func linesReader(in io.Reader, out io.Writer, missing string) func(prompt string) (string, error) {
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
			return "", Usage(errors.New(missing))
		}
		return strings.TrimSpace(scanner.Text()), nil
	}
}
