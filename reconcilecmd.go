package main

import (
	"cmp"
	"context"
	"errors"
	"io"
	"os"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// ledgerReconcile compares a day of the ledger with Alipay's own record:
// a query per sale, and the day's bill where one can be had.
func ledgerReconcile(args []string, out io.Writer) error {
	f := newLedgerFlags("kiosk ledger reconcile", "table", "table or json")
	config := f.fs.String("config", os.Getenv("KIOSK_CONFIG"), "configuration `file` of a real gateway; default: the running kiosk's emulator")
	if err := f.parse(args); err != nil {
		return err
	}
	client, err := reconcileClient(*config, dataDir(*f.data, ""))
	if err != nil {
		return err
	}
	office, err := pos.OpenOffice(dataDir(*f.data, ""))
	if err != nil {
		return err
	}
	defer office.Close()
	day, err := office.Day(cmp.Or(*f.date, office.Today()))
	if err != nil {
		return cli.LedgerTrouble(cli.AsUsage(err), office.Dir())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return cli.Reconciliation(out, pos.ReconcileDay(ctx, client, day), *f.format, "the ledger")
}

// reconcileClient talks to the gateway config names, or else to the
// emulator of the kiosk running on dir.
func reconcileClient(config, dir string) (*alipay.Client, error) {
	cfg, err := loadConfig(config)
	if err != nil {
		return nil, cli.Usage(err)
	}
	var emu *emulatorAt
	if cfg.usesEmulator() {
		if emu, err = runningEmulator(dir); errors.Is(err, emulator.ErrNotRunning) {
			return nil, cli.Usagef("reconcile needs --config FILE for a real gateway, or a kiosk running on its emulator in %s", dir)
		} else if err != nil {
			return nil, err
		}
	}
	return cfg.newClient(emu)
}
