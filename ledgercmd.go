package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"kiosk/store"
)

// ledgerCommand prints the ledger for managers and scripts: a day or a
// range of days, the X/Z report, a consistency check, or a reconciliation
// with Alipay. It opens the ledger read-only, so it works while a kiosk runs
// on the same data directory.
func ledgerCommand(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return ledgerCheck(args[1:])
		case "report":
			return ledgerReport(args[1:], os.Stdout)
		case "reconcile":
			return ledgerReconcile(args[1:], os.Stdout)
		case "backup":
			return ledgerBackup(args[1:], os.Stdout)
		}
	}
	return ledgerExport(args, os.Stdout)
}

// ledgerFlags are the flags the ledger subcommands share.
type ledgerFlags struct {
	fs     *flag.FlagSet
	data   *string
	date   *string
	format *string
}

func newLedgerFlags(name, defaultFormat, formats string) ledgerFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return ledgerFlags{
		fs:     fs,
		data:   fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)"),
		date:   fs.String("date", "", "the `day`, YYYY-MM-DD (default today)"),
		format: fs.String("format", defaultFormat, "output `format`: "+formats),
	}
}

func (f ledgerFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return usageError{err}
	}
	if f.fs.NArg() > 0 {
		return usagef("%s takes no arguments, got %q", f.fs.Name(), f.fs.Arg(0))
	}
	return nil
}

// run parses args, opens the ledger read-only, and runs fn on it.
func (f ledgerFlags) run(args []string, fn func(*store.Store) error) error {
	if err := f.parse(args); err != nil {
		return err
	}
	st, err := f.open()
	if err != nil {
		return err
	}
	defer st.Close()
	return explainLedgerTrouble(fn(st), st.Dir())
}

// restoreAdvice says where the README explains restoring a backup.
const restoreAdvice = `restore it from a backup (README, "Backup and restore")`

// explainLedgerTrouble adds what to do to an error that says the ledger
// file in dir is damaged or missing; other errors pass unchanged. The
// store's error already says which file and what is wrong.
func explainLedgerTrouble(err error, dir string) error {
	var missing *store.MissingError
	switch {
	case errors.As(err, &missing):
		return fmt.Errorf("%w: %s, or start the kiosk with --new-ledger to begin an empty ledger, "+
			"whose receipt numbers start again at 0001", missing, restoreAdvice)
	case errors.Is(err, store.ErrDamaged):
		var damage *store.DamageError
		if errors.As(err, &damage) {
			err = damage // the store's context repeats the file's name
		}
		return fmt.Errorf("%w: %s; kiosk ledger check --data %s shows what is wrong", err, restoreAdvice, dir)
	}
	return err
}

// open opens the ledger read-only and fills in today's date if none was given.
func (f ledgerFlags) open() (*store.Store, error) {
	st, err := store.Open(dataDir(*f.data, ""), store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	if *f.date == "" {
		*f.date = st.DateOf(time.Now())
	}
	return st, nil
}

// ledgerExport prints one day, or the days from --from to --to.
func ledgerExport(args []string, out io.Writer) error {
	f := newLedgerFlags("kiosk ledger", "table", "table, json or csv")
	from := f.fs.String("from", "", "first `day` of a range, YYYY-MM-DD")
	to := f.fs.String("to", "", "last `day` of a range, YYYY-MM-DD (default: --from)")
	bom := f.fs.Bool("bom", false, "start CSV with a UTF-8 byte order mark, for spreadsheets")
	return f.run(args, func(st *store.Store) error {
		first, last := *f.date, *f.date
		if *from != "" {
			first, last = *from, firstSet(*to, *from)
		}
		days, err := st.Range(first, last)
		switch {
		case err != nil:
		case len(days) == 1 && *f.format == "json":
			// One day keeps the documented shape: date, sales, totals.
			err = store.WriteDay(out, days[0], "json")
		default:
			err = store.WriteRange(out, days, *f.format, store.ExportOptions{BOM: *bom})
		}
		return asUsage(err)
	})
}

// asUsage marks the ledger's complaints about dates and formats as the
// user's to fix; anything else (a disk error) stays an error.
func asUsage(err error) error {
	for _, e := range []error{store.ErrBadDate, store.ErrBadRange, store.ErrBadFormat, store.ErrFutureDay} {
		if errors.Is(err, e) {
			return usageError{err}
		}
	}
	return err
}

// ledgerReport prints the day's X report, or its Z report once closed.
func ledgerReport(args []string, out io.Writer) error {
	f := newLedgerFlags("kiosk ledger report", "table", "table or json")
	return f.run(args, func(st *store.Store) error {
		rep, err := st.Report(*f.date)
		if err == nil {
			err = store.WriteReport(out, rep, *f.format)
		}
		return asUsage(err)
	})
}

// ledgerCheck runs bbolt's consistency check and the ledger's own rules.
func ledgerCheck(args []string) error {
	f := newLedgerFlags("kiosk ledger check", "", "")
	return f.run(args, func(st *store.Store) error {
		res, err := st.Verify()
		if err != nil {
			return err
		}
		fmt.Print(res.String())
		switch {
		case res.Damaged:
			return fmt.Errorf("the kiosk will not start on %s: %s", res.Path, restoreAdvice)
		case !res.OK():
			return fmt.Errorf("the ledger in %s has %d problem(s)", st.Dir(), len(res.Problems)+res.Omitted)
		}
		return nil
	})
}

// ledgerBackup copies the ledger to a file, safely while the kiosk runs.
// Flags may come before or after the file's name.
func ledgerBackup(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("kiosk ledger backup", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	force := fs.Bool("force", false, "replace FILE if it exists")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return usagef("kiosk ledger backup takes one FILE to write the copy to, got %d", len(files))
	}
	st, err := store.Open(dataDir(*data, ""), store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Backup(files[0], *force)
	switch {
	case errors.Is(err, store.ErrFileExists):
		return usagef("%s already exists: give the backup another name, or add --force to replace it", files[0])
	case err != nil:
		return explainLedgerTrouble(err, st.Dir())
	}
	fmt.Fprintf(out, "Backed up the ledger in %s to %s (%d bytes, checked).\n", st.Dir(), files[0], n)
	return nil
}
