package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/ui/cli"
)

// emulatorAddrFile, in the data directory, tells `kiosk emulator pay`
// where the embedded emulator of a running kiosk listens.
const emulatorAddrFile = "emulator.url"

// emulatorKeysDir, in the data directory, holds the embedded emulator's keys.
const emulatorKeysDir = "emulator"

func emulatorCommand(args []string) error {
	if len(args) == 0 {
		return cli.Usagef("emulator needs a subcommand: serve or pay")
	}
	switch args[0] {
	case "serve":
		return emulatorServe(args[1:])
	case "pay":
		return emulatorPay(args[1:])
	}
	return cli.Usagef("unknown emulator subcommand %q: use serve or pay", args[0])
}

// startEmbeddedEmulator runs the emulator on a free loopback port with the
// keys given, or else those kept under dir/emulator (made there on the
// first run), and records its address for `emulator pay`.
func startEmbeddedEmulator(dir string, keys *emulator.Keys, logger *slog.Logger) (*emulator.Server, *emulator.Keys, error) {
	if keys == nil {
		var err error
		if keys, _, err = emulator.LoadOrCreateKeys(filepath.Join(dir, emulatorKeysDir)); err != nil {
			return nil, nil, cli.Usage(err)
		}
	}
	cfg := emulatorConfig(keys, logger)
	// The trades outlive the process, so a kiosk restarted after a crash
	// finds what its customers paid, as it would at Alipay.
	cfg.StatePath = filepath.Join(dir, emulatorKeysDir, "trades.json")
	srv, err := emulator.Start("127.0.0.1:0", cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("start the embedded emulator: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, emulatorAddrFile), []byte(srv.URL+"\n"), 0o600); err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("record the emulator address: %w", err)
	}
	return srv, keys, nil
}

func emulatorConfig(keys *emulator.Keys, logger *slog.Logger) emulator.Config {
	return emulator.Config{
		AppID:            emulator.DefaultAppID,
		SellerID:         emulator.DefaultSellerID,
		AppPublicKey:     keys.AppPublic,
		AlipayPrivateKey: keys.AlipayPrivate,
		Logger:           logger,
	}
}

// emulatorClient is the real Alipay client pointed at the emulator, so
// signing and verification always run, in either protocol: the emulator
// serves both.
func emulatorClient(srv *emulator.Server, keys *emulator.Keys, protocol alipay.Protocol) (*alipay.Client, error) {
	return alipay.NewClient(alipay.Config{
		AppID:           emulator.DefaultAppID,
		PrivateKey:      keys.AppPrivate,
		AlipayPublicKey: keys.AlipayPublic,
		Gateway:         srv.GatewayURL(),
		Protocol:        protocol,
	})
}

// emulatorServe runs the emulator standalone and writes a kiosk.toml that
// points a kiosk at it.
func emulatorServe(args []string) error {
	fs := flag.NewFlagSet("kiosk emulator serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8780", "`host:port` to listen on")
	keyDir := fs.String("keys", "emulator-keys", "`directory` of the four key files (created if absent) and kiosk.toml")
	faults := fs.String("faults", "", "inject faults, e.g. `latency=2s,reset=0.1,5xx=0.1,malformed=0.1,badsig=0.1,unsigned=0.1,syserr=0.2,cancel-retries=2`")
	state := fs.String("state", "", "keep the trades in this `file` across restarts")
	notifyScale := fs.Float64("notify-scale", 1, "scale Alipay's notification resend schedule (4m, 10m, …) by this factor")
	if err := fs.Parse(args); err != nil {
		return cli.Usage(err)
	}
	keys, created, err := emulator.LoadOrCreateKeys(*keyDir)
	if err != nil {
		return cli.Usage(err)
	}
	cfg := emulatorConfig(keys, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	cfg.StatePath, cfg.NotifyScale = *state, *notifyScale
	if *faults != "" {
		f, err := emulator.ParseFaults(*faults)
		if err != nil {
			return cli.Usagef("--faults: %w", err)
		}
		cfg.Faults = &f
	}
	srv, err := emulator.Start(*addr, cfg)
	if err != nil {
		return cli.Usagef("listen on %s: %w", *addr, err)
	}
	defer srv.Close()
	cfgPath, err := writeKioskConfig(*keyDir, reachableURL(srv.URL))
	if err != nil {
		return err
	}
	printServeBanner(srv.URL, *keyDir, cfgPath, created)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// reachableURL replaces a wildcard listen address with loopback, which a
// kiosk on the same machine can dial.
func reachableURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
	}
	return u.String()
}

func writeKioskConfig(dir, baseURL string) (string, error) {
	path := filepath.Join(dir, "kiosk.toml")
	body := fmt.Sprintf(`# Written by "kiosk emulator serve". Run: kiosk --config %s
app_id = %q
seller_id = %q
app_private_key = "app_private_key.pem"
alipay_public_key = "alipay_public_key.pem"
gateway = %q
# protocol = "v3"   # OpenAPI v3 instead of v2; this emulator serves both
`, path, emulator.DefaultAppID, emulator.DefaultSellerID, baseURL+"/gateway.do")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

func printServeBanner(baseURL, keyDir, cfgPath string, created bool) {
	verb := "loaded from"
	if created {
		verb = "created in"
	}
	fmt.Printf("Alipay gateway emulator on %s (gateway %s/gateway.do)\n", baseURL, baseURL)
	fmt.Printf("Keys %s %s. Point a kiosk at it with:\n\n    kiosk --config %s\n\n", verb, keyDir, cfgPath)
	fmt.Printf("Trades: %s/   Pay a sale: kiosk emulator pay --addr %s OUT_TRADE_NO\n", baseURL, strings.TrimPrefix(baseURL, "http://"))
	fmt.Println("Press Ctrl+C to stop.")
}

// emulatorPay plays the customer for one sale on a standalone emulator
// (--addr) or on the embedded one of a kiosk running on --data.
func emulatorPay(args []string) error {
	fs := flag.NewFlagSet("kiosk emulator pay", flag.ContinueOnError)
	addr := fs.String("addr", "", "`host:port` of a standalone emulator")
	data := fs.String("data", "", "data `directory` of a running kiosk (env KIOSK_DATA)")
	if err := fs.Parse(args); err != nil {
		return cli.Usage(err)
	}
	if fs.NArg() != 1 {
		return cli.Usagef("emulator pay needs exactly one OUT_TRADE_NO (it is shown on the QR screen)")
	}
	base, err := emulatorBase(*addr, dataDir(*data, ""))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := emulator.PayRemote(ctx, base, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Printf("paid %s\n", fs.Arg(0))
	return nil
}

func emulatorBase(addr, dir string) (string, error) {
	if addr != "" {
		if !strings.Contains(addr, "://") {
			addr = "http://" + addr
		}
		return strings.TrimSuffix(addr, "/"), nil
	}
	b, err := os.ReadFile(filepath.Join(dir, emulatorAddrFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", cli.Usagef("no kiosk with an embedded emulator is running on %s; give --addr HOST:PORT for a standalone emulator", dir)
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
