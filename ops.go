package main

// The operator's commands: kiosk log, kiosk keys gen and kiosk doctor, and
// what the counter says of its gateway at start.

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"kiosk/alipay"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// gatewayName says in the log which gateway the counter talks to.
func (p counterPlan) gatewayName() string {
	if p.client == nil {
		return "embedded emulator"
	}
	return p.client.Gateway
}

// gatewayWarnings are said at start of a gateway that cannot be right.
func (c fileConfig) gatewayWarnings() []string {
	if gw, _, err := c.gatewayURL(); err == nil && pos.IsOldSandbox(gw) {
		return []string{cli.OldSandboxWarning(gw)}
	}
	return nil
}

// logPollInterval is how often kiosk log --follow looks for new records.
const logPollInterval = 500 * time.Millisecond

// showLog prints the data directory's log, and with --follow what is
// added until Ctrl+C.
func showLog(e *env) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wake <-chan time.Time
	if e.opts.follow {
		t := time.NewTicker(logPollInterval)
		defer t.Stop()
		wake = t.C
	}
	return cli.Log(ctx, e.io.out, e.dataDir(), wake, e.opts.format, e.checked.loc)
}

// keysGen makes the app's key pair in --dir.
func keysGen(e *env) error { return cli.KeysGen(e.io.out, e.opts.dir) }

// doctor checks the configuration of a real gateway and prints what it
// found, one line per check.
func doctor(e *env) error {
	cfg := e.cfg
	printer, err := planPrinter(cfg)
	if err != nil {
		return cli.Usage(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*e.opts.timeout)
	defer cancel()
	if cfg.usesEmulator() { // as the counter: see planCounter
		var checks []pos.Check
		if printer != nil { // the emulator needs no checking; the printer does
			checks = append(checks, pos.CheckPrinterAt(ctx, printer.address, printerProbe{*printer}))
		}
		return cli.DoctorOnEmulator(e.io.out, e.opts.config, e.checked.loc.String(), string(e.checked.protocol), checks...)
	}
	dc, err := cfg.doctorConfig(&http.Client{Timeout: e.opts.timeout})
	if err != nil {
		return cli.Usage(err)
	}
	if printer != nil {
		dc.Printer, dc.PrinterProbe = printer.address, printerProbe{*printer}
	}
	checks := pos.NewDoctor(dc).Run(ctx)
	return cli.Doctor(e.io.out, cli.DoctorRun{ConfigPath: e.opts.config, Gateway: dc.Gateway, Mode: dc.Mode,
		Protocol: string(dc.Protocol), NotifyAddr: dc.NotifyAddr, NoGateway: cfg.Gateway == ""}, checks)
}

// doctorConfig is the configuration as kiosk doctor checks it: nothing
// loaded, so that each key's problem is its own line.
func (c fileConfig) doctorConfig(h *http.Client) (pos.DoctorConfig, error) {
	gw, mode, err := c.gatewayURL()
	if err != nil {
		return pos.DoctorConfig{}, err
	}
	protocol, err := c.protocol()
	if err != nil {
		return pos.DoctorConfig{}, err
	}
	return pos.DoctorConfig{
		AppID: c.AppID, AppPrivateKey: c.AppPrivateKey, AppPublicKey: c.AppPublicKey, AlipayPublicKey: c.AlipayPublicKey,
		AppCert: c.AppCert, AlipayCert: c.AlipayCert, AlipayRootCert: c.AlipayRootCert,
		SignType: alipay.SignType(strings.ToUpper(c.SignType)), Protocol: protocol,
		Gateway: gw, Mode: mode, NotifyURL: c.NotifyURL, NotifyAddr: c.NotifyAddr, HTTP: h,
	}, nil
}
