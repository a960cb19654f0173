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
	HasManagerPIN() (bool, error)
	SetManagerPIN(old, pin string) error
}

// SetPIN sets the first manager PIN, asked twice, or changes it: the
// current PIN first, then the new one twice. Without echo on a terminal,
// the questions on prompts (standard error, not the output); a line each
// from a pipe, so scripts can set it too.
func SetPIN(in io.Reader, prompts, out io.Writer, s PINSetter) error {
	set, err := s.HasManagerPIN()
	if err != nil {
		return LedgerTrouble(err, "")
	}
	read := lineReader(in, prompts)
	var old string
	if set {
		if old, err = read(say.CLI.CurrentPIN); err != nil {
			return err
		}
		if old == "" { // not a try, nor a first PIN: nothing to check
			return Usage(errors.New(say.Refund.PINMissing))
		}
	}
	pin, err := readNewPIN(read)
	if err != nil {
		return err
	}
	err = s.SetManagerPIN(old, pin)
	if !set && errors.Is(err, pos.ErrPINSet) {
		// Set on the kiosk while the new one was typed: this is now a
		// change, which needs the PIN set meanwhile.
		fmt.Fprintln(prompts, say.PIN.SetMeanwhile)
		if old, err = read(say.CLI.CurrentPIN); err != nil {
			return err
		}
		set, err = true, s.SetManagerPIN(old, pin)
	}
	if err != nil {
		return UsageError{said(err)}
	}
	if set {
		fmt.Fprintln(out, say.CLI.PINChanged)
	} else {
		fmt.Fprintln(out, say.CLI.PINSet)
	}
	return nil
}

// PINResetter replaces the manager PIN without the current one.
// *pos.Settings implements it.
type PINResetter interface {
	ResetManagerPIN(pin string) error
}

// ResetPIN replaces the manager PIN, forgotten or locked, with a new one
// asked twice, without the current one (kiosk manager set-pin --reset);
// the questions and the answers as SetPIN's.
func ResetPIN(in io.Reader, prompts, out io.Writer, s PINResetter) error {
	pin, err := readNewPIN(linesReader(in, prompts, say.CLI.PINTwiceReset))
	if err != nil {
		return err
	}
	if err := s.ResetManagerPIN(pin); err != nil {
		return UsageError{said(err)}
	}
	fmt.Fprintln(out, say.CLI.PINReset)
	return nil
}

func readNewPIN(read func(prompt string) (string, error)) (string, error) {
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

func lineReader(in io.Reader, prompts io.Writer) func(prompt string) (string, error) {
	return linesReader(in, prompts, say.CLI.PINTwice)
}

// linesReader reads a secret per prompt: without echo from a terminal, the
// prompt written to prompts, a line at a time from a pipe, missing saying
// what a pipe ran short of.
func linesReader(in io.Reader, prompts io.Writer, missing string) func(prompt string) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return func(prompt string) (string, error) {
			fmt.Fprint(prompts, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(prompts)
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
