package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"kiosk/alipay/emulator"
	"kiosk/ui/cli"
)

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
	cfg := emulator.ServerConfig(keys, slog.New(slog.NewTextHandler(os.Stderr, nil)))
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
	cfgPath, err := emulator.WriteKioskConfig(*keyDir, emulator.ReachableURL(srv.URL))
	if err != nil {
		return err
	}
	cli.ServeBanner(os.Stdout, srv.URL, *keyDir, cfgPath, created)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
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
	cli.Paid(os.Stdout, fs.Arg(0))
	return nil
}

func emulatorBase(addr, dir string) (string, error) {
	if addr != "" {
		return emulator.BaseURL(addr), nil
	}
	base, err := emulator.EmbeddedURL(dir)
	if errors.Is(err, emulator.ErrNotRunning) {
		return "", cli.Usagef("no kiosk with an embedded emulator is running on %s; give --addr HOST:PORT for a standalone emulator", dir)
	}
	return base, err
}
