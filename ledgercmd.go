package main

import (
	"flag"
	"io"
	"os"

	"kiosk/pos"
	"kiosk/ui/cli"
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
		return cli.Usage(err)
	}
	if f.fs.NArg() > 0 {
		return cli.Usagef("%s takes no arguments, got %q", f.fs.Name(), f.fs.Arg(0))
	}
	return nil
}

// run parses args, opens the ledger read-only, and runs fn on it.
func (f ledgerFlags) run(args []string, fn func(*pos.Office) error) error {
	if err := f.parse(args); err != nil {
		return err
	}
	office, err := pos.OpenOffice(dataDir(*f.data, ""))
	if err != nil {
		return err
	}
	defer office.Close()
	return fn(office)
}

// ledgerExport prints one day, or the days from --from to --to.
func ledgerExport(args []string, out io.Writer) error {
	f := newLedgerFlags("kiosk ledger", "table", "table, json or csv")
	from := f.fs.String("from", "", "first `day` of a range, YYYY-MM-DD")
	to := f.fs.String("to", "", "last `day` of a range, YYYY-MM-DD (default: --from)")
	bom := f.fs.Bool("bom", false, "start CSV with a UTF-8 byte order mark, for spreadsheets")
	return f.run(args, func(o *pos.Office) error {
		return cli.Export(out, o, cli.DayQuery{Date: *f.date, From: *from, To: *to, Format: *f.format, BOM: *bom})
	})
}

// ledgerReport prints the day's X report, or its Z report once closed.
func ledgerReport(args []string, out io.Writer) error {
	f := newLedgerFlags("kiosk ledger report", "table", "table or json")
	return f.run(args, func(o *pos.Office) error { return cli.PrintReport(out, o, *f.date, *f.format) })
}

// ledgerCheck runs bbolt's consistency check and the ledger's own rules.
func ledgerCheck(args []string) error {
	f := newLedgerFlags("kiosk ledger check", "", "")
	return f.run(args, func(o *pos.Office) error { return cli.Check(os.Stdout, o) })
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
			return cli.Usage(err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return cli.Usagef("kiosk ledger backup takes one FILE to write the copy to, got %d", len(files))
	}
	office, err := pos.OpenOffice(dataDir(*data, ""))
	if err != nil {
		return err
	}
	defer office.Close()
	return cli.Backup(out, office, files[0], *force)
}
