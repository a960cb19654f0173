package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
	"kiosk/ui"
)

var (
	_ pos.Gateway        = (*alipay.Client)(nil)
	_ pos.Ledger         = (*store.Store)(nil)
	_ pos.BuyerSimulator = (*emulator.Emulator)(nil)
	_ ui.Checkout        = (*pos.Register)(nil)
)

// counterFlags are the flags of the counter itself.
type counterFlags struct {
	config       string
	data         string
	qrTimeout    time.Duration
	pollInterval time.Duration
}

func parseCounterFlags(args []string) (counterFlags, error) {
	var f counterFlags
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.StringVar(&f.config, "config", os.Getenv("KIOSK_CONFIG"), "configuration `file` (TOML; env KIOSK_CONFIG)")
	fs.StringVar(&f.data, "data", "", "data `directory` for the ledger and emulator keys (env KIOSK_DATA)")
	fs.DurationVar(&f.qrTimeout, "qr-timeout", 0, "how long the QR code is offered (default 120s)")
	fs.DurationVar(&f.pollInterval, "poll-interval", 0, "time between payment queries (default 5s)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usageText) }
	if err := fs.Parse(args); err != nil {
		return f, usageError{err}
	}
	if fs.NArg() > 0 {
		return f, usagef("unknown command %q (try: kiosk help)", fs.Arg(0))
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
		return usageError{err}
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
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return usagef("the kiosk draws its screen in a terminal, and standard output is not one: run it in a terminal window " +
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
	pos        pos.Config
	client     *alipay.Config // nil: the embedded emulator
	shopName   string
	notifyAddr string          // where to listen for notifications; "" for none
	central    *central.Config // head office's ledger; nil for none
}

// notifyPath is where the kiosk takes Alipay's notifications.
const notifyPath = "/alipay/notify"

func planCounter(cfg fileConfig) (counterPlan, error) {
	plan := counterPlan{pos: posConfig(cfg, pos.ModeEmulator), shopName: cfg.ShopName}
	if err := cfg.notifySettings(); err != nil {
		return plan, usageError{err}
	}
	loc, err := cfg.location()
	if err != nil {
		return plan, usageError{err}
	}
	plan.pos.Location = loc
	plan.notifyAddr, plan.pos.NotifyURL = cfg.NotifyAddr, cfg.NotifyURL
	if cfg.usesEmulator() && plan.notifyAddr == "" {
		// The emulator is on loopback, so the kiosk can hear it there too.
		plan.notifyAddr = "127.0.0.1:0"
	}
	if !cfg.usesEmulator() {
		acfg, mode, err := cfg.clientConfig()
		if err != nil {
			return plan, usageError{err}
		}
		if _, err := alipay.NewClient(acfg); err != nil {
			return plan, usageError{err}
		}
		plan.client, plan.pos.Mode = &acfg, mode
	}
	if err := plan.pos.Validate(); err != nil {
		return plan, usageError{err}
	}
	if plan.central, err = planCentral(cfg, loc); err != nil {
		return plan, usageError{err}
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
	logFile        *os.File
	notifyListener net.Listener
	notifyServer   *http.Server
	shipper        *runningShipper
}

// openCounter takes the ledger first, so a second kiosk on the same data
// directory is refused before it starts an emulator or touches a key.
func openCounter(plan counterPlan, dir string) (*counter, error) {
	c := &counter{dir: dir, shopName: plan.shopName}
	if err := c.open(plan); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *counter) open(plan counterPlan) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return usagef("data directory %s: %w", c.dir, err)
	}
	var err error
	if c.ledger, err = openLedger(c.dir, plan.pos.Location); err != nil {
		return err
	}
	logger := c.openLog()
	gw, sim, err := c.gateway(plan.client, logger)
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
	if plan.notifyAddr != "" {
		if err := c.listenForNotifications(&plan); err != nil {
			return err
		}
		opts = append(opts, pos.WithNotifications(c.notifyVerifier(plan)))
	}
	if c.register, err = pos.New(plan.pos, gw, c.ledger, opts...); err != nil {
		return usageError{err}
	}
	if c.notifyListener != nil {
		c.serveNotifications()
	}
	return nil
}

// listenForNotifications takes the notify address before the register is
// built, so that an address picked by the system can go into notify_url.
func (c *counter) listenForNotifications(plan *counterPlan) error {
	ln, err := net.Listen("tcp", plan.notifyAddr)
	if err != nil {
		return usagef("notify_addr %s: %w", plan.notifyAddr, err)
	}
	c.notifyListener = ln
	if plan.pos.NotifyURL == "" {
		plan.pos.NotifyURL = "http://" + ln.Addr().String() + notifyPath
	}
	return nil
}

func (c *counter) notifyVerifier(plan counterPlan) *alipay.NotifyVerifier {
	if plan.client != nil {
		return &alipay.NotifyVerifier{AlipayPublicKey: plan.client.AlipayPublicKey, AppID: plan.client.AppID, SellerID: plan.pos.SellerID}
	}
	return &alipay.NotifyVerifier{AlipayPublicKey: c.emulatorKeys.AlipayPublic, AppID: emulator.DefaultAppID, SellerID: emulator.DefaultSellerID}
}

// serveNotifications answers Alipay on the notify listener, with limits
// that keep a slow or hostile client from holding the kiosk.
func (c *counter) serveNotifications() {
	mux := http.NewServeMux()
	mux.Handle(notifyPath, c.register.NotifyHandler())
	c.notifyServer = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	go func() { _ = c.notifyServer.Serve(c.notifyListener) }()
}

func openLedger(dir string, loc *time.Location) (*store.Store, error) {
	st, err := store.Open(dir, store.Options{Location: loc})
	if errors.Is(err, store.ErrLocked) {
		return nil, usagef("another kiosk is already running on the ledger in %s. Use that kiosk, or close it first; "+
			"to run a second till on this machine give it its own directory with --data DIR", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("open the ledger in %s: %w", dir, err)
	}
	return st, nil
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
// embedded emulator when acfg is nil.
func (c *counter) gateway(acfg *alipay.Config, logger *slog.Logger) (*alipay.Client, pos.BuyerSimulator, error) {
	if acfg != nil {
		client, err := alipay.NewClient(*acfg)
		return client, nil, err
	}
	srv, keys, err := startEmbeddedEmulator(c.dir, logger)
	if err != nil {
		return nil, nil, err
	}
	c.server, c.emulatorKeys = srv, keys
	client, err := emulatorClient(srv, keys)
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
// stop. A sale open at that moment stays pending and is settled at the
// next start.
func (c *counter) run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	model := ui.New(c.register, ui.Options{ShopName: c.shopName, Location: c.register.Config().Location})
	_, err := tea.NewProgram(model, tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

func (c *counter) close() {
	if c.notifyServer != nil {
		_ = c.notifyServer.Close()
	} else if c.notifyListener != nil {
		_ = c.notifyListener.Close()
	}
	if c.server != nil {
		_ = os.Remove(filepath.Join(c.dir, emulatorAddrFile))
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
