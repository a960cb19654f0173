package main

import (
	"flag"
	"io"
	"os"

	"kiosk/pos"
	"kiosk/ui/cli"
)

// managerCommand holds the manager's settings; for now the PIN that
// approves refunds and closes the day.
func managerCommand(args []string, in *os.File, out io.Writer) error {
	if len(args) == 0 || args[0] != "set-pin" {
		return cli.Usagef("manager needs a subcommand: set-pin")
	}
	fs := flag.NewFlagSet("kiosk manager set-pin", flag.ContinueOnError)
	data := fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	if err := fs.Parse(args[1:]); err != nil {
		return cli.Usage(err)
	}
	dir := dataDir(*data, "")
	settings, err := pos.OpenSettings(dir)
	if err != nil {
		return cli.OpeningSettings(err, dir)
	}
	defer settings.Close()
	return cli.SetPIN(in, out, settings)
}
