// Command kiosk is a point-of-sale terminal that takes Alipay payments at a
// shop counter.
//
// With no configuration it runs against an embedded gateway emulator, so a
// newcomer can sell something within a minute:
//
//	go run .
//
// Subcommands:
//
//	kiosk [--config FILE] [--data DIR]          run the counter
//	kiosk ledger [--date YYYY-MM-DD] [--format table|json|csv]
//	kiosk ledger report|reconcile|check
//	kiosk ledger backup FILE
//	kiosk manager set-pin
//	kiosk emulator serve --addr HOST:PORT --keys DIR
//	kiosk emulator pay [--addr HOST:PORT] OUT_TRADE_NO
//	kiosk api precreate|query|cancel|close|refund|refund-query|verify-notify --config FILE
//	kiosk central report|ledger|status|reconcile|verify --config FILE
//
// main.go only wires the parts together: flags and configuration in, the
// ledger, the Alipay client, the register and the screen out.
package main

import (
	"errors"
	"fmt"
	"os"

	"kiosk/ui/cli"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // bad flags, configuration, keys, or a ledger in use: nothing was done
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	err := dispatch(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
	}
	return exitStatus(err)
}

// exitStatus is the process's status after err.
func exitStatus(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, new(cli.UsageError)):
		return exitUsage
	case errors.As(err, new(cli.SignatureError)):
		return exitBadSignature
	}
	return exitError
}

func dispatch(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "ledger":
			return ledgerCommand(args[1:])
		case "emulator":
			return emulatorCommand(args[1:])
		case "api":
			return apiCommand(args[1:], os.Stdout, os.Stderr)
		case "manager":
			return managerCommand(args[1:], os.Stdin, os.Stdout)
		case "central":
			return centralCommand(args[1:], os.Stdout)
		case "help":
			fmt.Print(usageText)
			return nil
		}
	}
	return counterCommand(args)
}

const usageText = `kiosk: an Alipay point-of-sale terminal

  kiosk [--config FILE] [--data DIR] [--qr-timeout 120s] [--poll-interval 5s] [--new-ledger]
        run the counter (on the embedded emulator when no credentials are set);
        --new-ledger starts an empty ledger where the old one is missing
  kiosk ledger [--data DIR] [--date YYYY-MM-DD] [--format table|json|csv]
        print a day's sales and totals (works while the kiosk runs)
  kiosk ledger --from YYYY-MM-DD --to YYYY-MM-DD [--format csv --bom]
        a range of days; --bom makes CSV open cleanly in spreadsheets
  kiosk ledger report [--date YYYY-MM-DD] [--format table|json]
        the day's X report, or its Z report once the day is closed
  kiosk ledger reconcile [--date YYYY-MM-DD] [--config FILE]
        compare the day with Alipay's own record and list every difference
  kiosk ledger check [--data DIR]
        verify the ledger file (bbolt's check and the ledger's own rules)
  kiosk ledger backup [--data DIR] [--force] FILE
        copy the ledger to FILE, safely while the kiosk runs
  kiosk manager set-pin [--data DIR]
        set the manager PIN that approves refunds and closes the day
  kiosk emulator serve --addr HOST:PORT --keys DIR
        run the gateway emulator standalone; writes DIR/kiosk.toml
  kiosk emulator pay [--addr HOST:PORT | --data DIR] OUT_TRADE_NO
        play the customer: scan and pay a sale on the emulator
  kiosk api METHOD --config FILE [--amount 12.34] [--out-trade-no N] [--verbose] [--protocol v2|v3]
        call the gateway directly and print the verified answer as JSON;
        METHOD is precreate, query, cancel, close, refund, refund-query,
        or verify-notify (a notification body on standard input)
  kiosk central report [--date D] [--store S] [--terminal T] [--format table|json]
        head office: every terminal's totals and X/Z status, by store
  kiosk central ledger [--date D | --from D1 --to D2] [--format table|json|csv]
        every terminal's sales, in the shape of kiosk ledger
  kiosk central status | reconcile --date D | verify --data DIR
        how far behind each terminal is; the chain against Alipay's bill;
        one kiosk's ledger against head office, event by event
        (all read central_ledger from --config FILE or KIOSK_CENTRAL_LEDGER)
`
