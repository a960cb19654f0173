package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/term"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
	"kiosk/ui"
	"kiosk/ui/cli"
)

var (
	_ pos.Gateway        = (*alipay.Client)(nil)
	_ pos.Ledger         = (*store.Store)(nil)
	_ pos.BuyerSimulator = (*emulator.Emulator)(nil)
	_ ui.Counter         = (*pos.Register)(nil)
	_ ui.BackOffice      = (*pos.Register)(nil)
	_ ui.HeadOffice      = (*pos.Register)(nil)
)

// counterFlags are the flags of the counter itself.
type counterFlags struct {
	config       string
	data         string
	qrTimeout    time.Duration
	pollInterval time.Duration
	newLedger    bool
}

func parseCounterFlags(args []string) (counterFlags, error) {
	var f counterFlags
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.StringVar(&f.config, "config", os.Getenv("KIOSK_CONFIG"), "configuration `file` (TOML; env KIOSK_CONFIG)")
	fs.StringVar(&f.data, "data", "", "data `directory` for the ledger and emulator keys (env KIOSK_DATA)")
	fs.DurationVar(&f.qrTimeout, "qr-timeout", 0, "how long the QR code is offered (default 120s)")
	fs.DurationVar(&f.pollInterval, "poll-interval", 0, "time between payment queries (default 5s)")
	fs.BoolVar(&f.newLedger, "new-ledger", false, "start an empty ledger where the data directory's ledger is missing (receipt numbers start again at 0001)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usageText) }
	if err := fs.Parse(args); err != nil {
		return f, cli.Usage(err)
	}
	if fs.NArg() > 0 {
		return f, cli.Usagef("unknown command %q (try: kiosk help)", fs.Arg(0))
	}
	return f, nil
}

// counterCommand runs the cashier's screen.
func counterCommand(args []string) error {
	flags, err := parseCounterFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg, err := loadConfig(flags.config)
	if err != nil {
		return cli.Usage(err)
	}
	if flags.qrTimeout != 0 {
		cfg.QRTimeout.Duration = flags.qrTimeout
	}
	if flags.pollInterval != 0 {
		cfg.PollInterval.Duration = flags.pollInterval
	}
	plan, err := planCounter(cfg)
	if err != nil {
		return err
	}
	plan.newLedger = flags.newLedger
	for _, w := range plan.warnings {
		fmt.Fprintln(os.Stderr, "kiosk: warning:", w) // seen again when the screen closes
	}
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return cli.Usagef("the kiosk draws its screen in a terminal, and standard output is not one: run it in a terminal window " +
			"(kiosk ledger, kiosk api and kiosk emulator work without one)")
	}
	c, err := openCounter(plan, dataDir(flags.data, cfg.DataDir))
	if err != nil {
		return err
	}
	defer c.close()
	return c.run()
}

// dataDir picks the data directory: flag, KIOSK_DATA, config, default.
func dataDir(flagValue, configValue string) string {
	for _, d := range []string{flagValue, os.Getenv("KIOSK_DATA"), configValue} {
		if d != "" {
			return d
		}
	}
	return defaultDataDir()
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "alipay-kiosk")
	}
	home, err := os.UserHomeDir()
	if runtime.GOOS == "linux" && err == nil {
		return filepath.Join(home, ".local", "share", "alipay-kiosk")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "alipay-kiosk")
	}
	return "kiosk-data"
}

// counterPlan is a configuration checked in full (keys loaded, gateway
// resolved, timings in range) before anything is written to disk.
type counterPlan struct {
	cfg        fileConfig // as loaded, for the client
	pos        pos.Config
	client     *alipay.Config // nil: the embedded emulator
	shopName   string
	notifyAddr string // where to listen for notifications; "" for none
	notify     pos.NotifyLimits
	central    *central.Config // head office's ledger; nil for none
	newLedger  bool            // --new-ledger: a missing ledger may be started afresh
	warnings   []string        // said at start; the kiosk runs anyway

	protocol alipay.Protocol // the embedded emulator's; a configured gateway's is in client
}

func planCounter(cfg fileConfig) (counterPlan, error) {
	plan := counterPlan{cfg: cfg, pos: posConfig(cfg, pos.ModeEmulator), shopName: cfg.ShopName, notify: pos.DefaultNotifyLimits}
	if err := cfg.notifySettings(); err != nil {
		return plan, cli.Usage(err)
	}
	loc, err := cfg.location()
	if err != nil {
		return plan, cli.Usage(err)
	}
	plan.pos.Location = loc
	if plan.protocol, err = cfg.protocol(); err != nil {
		return plan, cli.Usage(err)
	}
	plan.notifyAddr, plan.pos.NotifyURL = cfg.NotifyAddr, cfg.NotifyURL
	if cfg.usesEmulator() && plan.notifyAddr == "" {
		// The emulator is on loopback, so the kiosk can hear it there too.
		plan.notifyAddr = "127.0.0.1:0"
	}
	if !cfg.usesEmulator() {
		acfg, mode, err := cfg.clientConfig()
		if err != nil {
			return plan, cli.Usage(err)
		}
		if _, err := cfg.newClient(nil); err != nil {
			return plan, err
		}
		plan.client, plan.pos.Mode = &acfg, mode
		plan.warnings = cfg.keyWarnings()
	}
	if err := plan.pos.Validate(); err != nil {
		return plan, cli.Usage(err)
	}
	if plan.central, err = planCentral(cfg, loc); err != nil {
		return plan, cli.Usage(err)
	}
	return plan, nil
}

// counter holds the running parts, closed in reverse order.
type counter struct {
	dir            string
	ledger         *store.Store
	server         *emulator.Server
	emulatorKeys   *emulator.Keys
	register       *pos.Register
	shopName       string
	warnings       []string
	logFile        *os.File
	notifyListener net.Listener
	notifyServer   *http.Server
	shipper        *runningShipper
}

// openCounter starts the counter's parts in dir. Whatever can be refused
// for a reason the user must fix (the notify address taken, the emulator's
// keys damaged, the ledger held by another kiosk) is refused before the
// first file is created, so that exit status 2 means nothing was done.
func openCounter(plan counterPlan, dir string) (*counter, error) {
	c := &counter{dir: dir, shopName: plan.shopName, warnings: plan.warnings}
	if err := c.open(plan); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *counter) open(plan counterPlan) error {
	if err := c.check(&plan); err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return cli.Usagef("data directory %s: %w", c.dir, err)
	}
	var err error
	// The ledger refuses a second kiosk on the directory; on a directory
	// that held one it creates nothing, and on a new one it is the first file.
	if c.ledger, err = openLedger(c.dir, plan.pos.Location, plan.newLedger); err != nil {
		return err
	}
	logger := c.openLog()
	for _, w := range plan.warnings {
		logger.Warn(w)
	}
	gw, sim, err := c.gateway(plan, logger)
	if err != nil {
		return err
	}
	opts := []pos.Option{pos.WithLogger(logger), pos.WithBackOffice(c.ledger, gw)}
	if plan.central != nil {
		if c.shipper, err = startShipper(c.ledger, *plan.central, logger); err != nil {
			return err
		}
		opts = append(opts, pos.WithHeadOffice(c.shipper))
	}
	if sim != nil {
		opts = append(opts, pos.WithBuyerSimulator(sim))
	}
	if c.notifyListener != nil {
		opts = append(opts, pos.WithNotifications(c.notifyVerifier(plan)))
	}
	if c.register, err = pos.New(plan.pos, gw, c.ledger, opts...); err != nil {
		return cli.Usage(err)
	}
	if c.notifyListener != nil {
		c.serveNotifications(plan.notify, logger)
	}
	return nil
}

// check does what can fail for a usage reason and writes nothing: it takes
// the notify address and reads the embedded emulator's keys if an earlier
// run made them.
func (c *counter) check(plan *counterPlan) error {
	if plan.notifyAddr != "" {
		if err := c.listenForNotifications(plan); err != nil {
			return err
		}
	}
	if plan.client != nil {
		return nil
	}
	dir := filepath.Join(c.dir, emulator.KeysDir)
	for _, name := range []string{emulator.AppPrivateKeyFile, emulator.AppPublicKeyFile, emulator.AlipayPrivateKeyFile, emulator.AlipayPublicKeyFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			// With any of the files there, this loads the set or refuses it; it
			// makes keys only in a directory that has none.
			keys, _, err := emulator.LoadOrCreateKeys(dir)
			if err != nil {
				return cli.Usage(err)
			}
			c.emulatorKeys = keys
			return nil
		}
	}
	return nil
}

// listenForNotifications takes the notify address before the register is
// built, so that an address picked by the system can go into notify_url.
func (c *counter) listenForNotifications(plan *counterPlan) error {
	ln, err := net.Listen("tcp", plan.notifyAddr)
	if err != nil {
		return cli.Usagef("notify_addr %s: %w (is another kiosk or program listening there? each till needs its own notify_addr)", plan.notifyAddr, err)
	}
	c.notifyListener = ln
	if plan.pos.NotifyURL == "" {
		plan.pos.NotifyURL = "http://" + ln.Addr().String() + pos.NotifyPath
	}
	return nil
}

func (c *counter) notifyVerifier(plan counterPlan) *alipay.NotifyVerifier {
	if plan.client != nil {
		return &alipay.NotifyVerifier{AlipayPublicKey: plan.client.AlipayPublicKey, AppID: plan.client.AppID, SellerID: plan.pos.SellerID}
	}
	return &alipay.NotifyVerifier{AlipayPublicKey: c.emulatorKeys.AlipayPublic, AppID: emulator.DefaultAppID, SellerID: emulator.DefaultSellerID}
}

// serveNotifications answers Alipay on the notify listener, within limits
// that keep slow or hostile clients from holding the kiosk's files.
func (c *counter) serveNotifications(lim pos.NotifyLimits, logger *slog.Logger) {
	c.notifyServer = c.register.ServeNotifications(c.notifyListener, lim, logger)
}

// openLedger opens the kiosk's ledger; a damaged or missing ledger is
// refused, in one line, before anything else starts.
func openLedger(dir string, loc *time.Location, newLedger bool) (*store.Store, error) {
	st, err := pos.OpenLedger(dir, loc, newLedger)
	return st, cli.OpeningTheCounter(err, dir)
}

// openLog sends diagnostics to DIR/kiosk.log: the screen belongs to the
// cashier. Without a log file, diagnostics are dropped.
func (c *counter) openLog() *slog.Logger {
	f, err := os.OpenFile(filepath.Join(c.dir, "kiosk.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c.logFile = f
	return slog.New(slog.NewTextHandler(f, nil))
}

// gateway builds the Alipay client: for the configured gateway, or for an
// embedded emulator it starts when the configuration names none.
func (c *counter) gateway(plan counterPlan, logger *slog.Logger) (*alipay.Client, pos.BuyerSimulator, error) {
	if plan.client != nil {
		client, err := plan.cfg.newClient(nil)
		return client, nil, err
	}
	if c.emulatorKeys == nil { // made on the first run
		keys, _, err := emulator.LoadOrCreateKeys(filepath.Join(c.dir, emulator.KeysDir))
		if err != nil {
			return nil, nil, cli.Usage(err)
		}
		c.emulatorKeys = keys
	}
	srv, keys, err := emulator.StartEmbedded(c.dir, c.emulatorKeys, logger)
	if err != nil {
		return nil, nil, err
	}
	c.server, c.emulatorKeys = srv, keys
	client, err := plan.cfg.newClient(&emulatorAt{gateway: srv.GatewayURL(), keys: keys})
	return client, srv.Emulator, err
}

func posConfig(cfg fileConfig, mode pos.Mode) pos.Config {
	return pos.Config{
		TerminalID:   cfg.TerminalID,
		StoreID:      cfg.StoreID,
		SellerID:     cfg.SellerID,
		Subject:      firstSet(cfg.Subject, cfg.ShopName),
		QRTimeout:    cfg.QRTimeout.Duration,
		PollInterval: cfg.PollInterval.Duration,
		Mode:         mode,

		PrecreateTimeout: cfg.PrecreateTimeout.Duration,
		QueryTimeout:     cfg.QueryTimeout.Duration,
		CancelTimeout:    cfg.CancelTimeout.Duration,
		RefundTimeout:    cfg.RefundTimeout.Duration,
	}
}

func firstSet(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// run shows the counter until the cashier quits or the process is told to
// stop; a stop cancels the sale on screen first, and one that does not end
// in time ends the process.
func (c *counter) run() error {
	model := ui.New(c.register, ui.Options{ShopName: c.shopName, Location: c.register.Config().Location, Warnings: c.warnings})
	return ui.Run(model, func() {
		fmt.Fprintln(os.Stderr, "kiosk:", ui.ErrStopTimeout)
		os.Exit(exitError)
	})
}

func (c *counter) close() {
	if c.notifyServer != nil {
		_ = c.notifyServer.Close()
	} else if c.notifyListener != nil {
		_ = c.notifyListener.Close()
	}
	if c.server != nil {
		_ = emulator.RemoveAddr(c.dir)
		_ = c.server.Close()
	}
	c.shipper.stop() // before the ledger it reads
	if c.ledger != nil {
		_ = c.ledger.Close()
	}
	if c.logFile != nil {
		_ = c.logFile.Close()
	}
}
