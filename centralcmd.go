package main

import (
	"cmp"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"time"

	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
	"kiosk/ui/cli"
)

// The chain's head office: the kiosk's shipper when central_ledger is set,
// and `kiosk central`, which reads head office's PostgreSQL only.

// planCentral checks central_ledger, when set, before anything starts.
func planCentral(cfg fileConfig, loc *time.Location) (*central.Config, error) {
	if cfg.CentralLedger == "" {
		return nil, nil
	}
	if err := central.CheckDSN(cfg.CentralLedger); err != nil {
		return nil, err
	}
	return &central.Config{
		DSN:        cfg.CentralLedger,
		TerminalID: cmp.Or(cfg.TerminalID, pos.DefaultTerminalID),
		StoreID:    cfg.StoreID,
		TimeZone:   loc.String(),
	}, nil
}

// runningShipper is the kiosk's shipper, running in the background.
type runningShipper struct {
	*central.Shipper
	cancel context.CancelFunc
	done   chan struct{}
}

// startShipper sends the ledger to head office in the background, logging
// its troubles to the kiosk's log, never to the cashier's screen.
func startShipper(ledger *store.Store, cfg central.Config, logger *slog.Logger) (*runningShipper, error) {
	cfg.Logger = logger
	sh, err := central.NewShipper(ledger, cfg)
	if err != nil {
		return nil, cli.Usage(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningShipper{Shipper: sh, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		sh.Run(ctx)
	}()
	return r, nil
}

// stop ends the shipper and waits for it; what it had not sent goes at the
// next start.
func (r *runningShipper) stop() {
	if r == nil {
		return
	}
	r.cancel()
	<-r.done
}

// centralCommand answers head office's questions.
func centralCommand(args []string, out io.Writer) error {
	if len(args) == 0 {
		return cli.Usagef("central needs a subcommand: report, ledger, status, reconcile or verify")
	}
	switch args[0] {
	case "report":
		return centralReport(args[1:], out)
	case "ledger":
		return centralLedger(args[1:], out)
	case "status":
		return centralStatus(args[1:], out)
	case "reconcile":
		return centralReconcile(args[1:], out)
	case "verify":
		return centralVerify(args[1:], out)
	}
	return cli.Usagef("unknown central subcommand %q: use report, ledger, status, reconcile or verify", args[0])
}

// centralFlags are the flags the central subcommands share.
type centralFlags struct {
	fs       *flag.FlagSet
	config   *string
	date     *string
	format   *string
	store    *string
	terminal *string
	cfg      fileConfig
}

func newCentralFlags(name, defaultFormat, formats string) *centralFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return &centralFlags{
		fs:       fs,
		config:   fs.String("config", os.Getenv("KIOSK_CONFIG"), "configuration `file` naming central_ledger (or set KIOSK_CENTRAL_LEDGER)"),
		date:     fs.String("date", "", "the `day`, YYYY-MM-DD (default today in the shop's time zone)"),
		format:   fs.String("format", defaultFormat, "output `format`: "+formats),
		store:    fs.String("store", "", "only this `store` id"),
		terminal: fs.String("terminal", "", "only this `terminal` id"),
	}
}

// parse reads the flags and the configuration, and fills in today.
func (f *centralFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return cli.Usage(err)
	}
	if f.fs.NArg() > 0 {
		return cli.Usagef("%s takes no arguments, got %q", f.fs.Name(), f.fs.Arg(0))
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return cli.Usage(err)
	}
	f.cfg = cfg
	loc, err := cfg.location()
	if err != nil {
		return cli.Usage(err)
	}
	if *f.date == "" {
		*f.date = time.Now().In(loc).Format(time.DateOnly)
	}
	return nil
}

func (f *centralFlags) filter() pos.ChainFilter {
	return pos.ChainFilter{Store: *f.store, Terminal: *f.terminal}
}

// withChain runs fn on head office's database.
func (f *centralFlags) withChain(fn func(ctx context.Context, c *pos.Chain) error) error {
	if f.cfg.CentralLedger == "" {
		return cli.Usagef("no head office: set central_ledger in the config (--config FILE) or KIOSK_CENTRAL_LEDGER to its PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pos.OpenChain(ctx, f.cfg.CentralLedger)
	if err != nil {
		return err
	}
	defer c.Close()
	return cli.AsUsage(fn(ctx, c))
}

func centralReport(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central report", "table", "table or json")
	if err := f.parse(args); err != nil {
		return err
	}
	return f.withChain(func(ctx context.Context, c *pos.Chain) error {
		return cli.ChainReport(ctx, out, c, *f.date, *f.format, f.filter())
	})
}

func centralLedger(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central ledger", "table", "table, json or csv")
	from := f.fs.String("from", "", "first `day` of a range, YYYY-MM-DD")
	to := f.fs.String("to", "", "last `day` of a range, YYYY-MM-DD (default: --from)")
	bom := f.fs.Bool("bom", false, "start CSV with a UTF-8 byte order mark, for spreadsheets")
	if err := f.parse(args); err != nil {
		return err
	}
	return f.withChain(func(ctx context.Context, c *pos.Chain) error {
		return cli.ChainLedger(ctx, out, c, cli.DayQuery{Date: *f.date, From: *from, To: *to, Format: *f.format, BOM: *bom}, f.filter())
	})
}

func centralStatus(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central status", "table", "table or json")
	if err := f.parse(args); err != nil {
		return err
	}
	return f.withChain(func(ctx context.Context, c *pos.Chain) error {
		loc, _ := f.cfg.location() // checked by parse
		return cli.ChainStatus(ctx, out, c, *f.format, f.filter(), loc)
	})
}

// centralReconcile compares the chain's day with Alipay's bill for the
// merchant account, as `kiosk ledger reconcile` does for one kiosk.
func centralReconcile(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central reconcile", "table", "table or json")
	data := f.fs.String("data", "", "data `directory` of a kiosk on its embedded emulator, when --config names no real gateway")
	if err := f.parse(args); err != nil {
		return err
	}
	if *f.store != "" || *f.terminal != "" {
		return cli.Usagef("reconcile compares the whole merchant account with Alipay's bill; --store and --terminal do not apply")
	}
	client, err := reconcileClient(*f.config, dataDir(*data, ""))
	if err != nil {
		return err
	}
	return f.withChain(func(ctx context.Context, c *pos.Chain) error {
		days, err := c.Days(ctx, *f.date, *f.date, f.filter())
		if err != nil {
			return err
		}
		return cli.Reconciliation(out, pos.ReconcileDay(ctx, client, days[0]), *f.format, "head office's ledger")
	})
}

// centralVerify compares one kiosk's ledger, opened read-only, with head
// office event by event.
func centralVerify(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central verify", "table", "table or json")
	data := f.fs.String("data", "", "data `directory` of the kiosk (env KIOSK_DATA)")
	if err := f.parse(args); err != nil {
		return err
	}
	dir := dataDir(*data, f.cfg.DataDir)
	office, err := pos.OpenOffice(dir)
	if err != nil {
		return err
	}
	defer office.Close()
	terminal := cmp.Or(f.cfg.TerminalID, pos.DefaultTerminalID)
	return f.withChain(func(ctx context.Context, c *pos.Chain) error {
		v, err := c.Verify(ctx, office, terminal)
		if err != nil {
			return err
		}
		return cli.Verification(out, dir, v, *f.format)
	})
}
