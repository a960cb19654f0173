package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/ui/escpos"
)

// paperWidth reads printer_paper: 58 or 80, with or without "mm".
type paperWidth struct{ escpos.Paper }

func (p *paperWidth) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		return p.UnmarshalText([]byte(strconv.FormatInt(v, 10)))
	case string:
		return p.UnmarshalText([]byte(v))
	}
	return errors.New(say.Config.PrinterPaper.F(fmt.Sprint(v)))
}

func (p *paperWidth) UnmarshalText(b []byte) error {
	paper, err := escpos.ParsePaper(string(b))
	if err != nil {
		return errors.New(say.Config.PrinterPaper.F(string(b)))
	}
	p.Paper = paper
	return nil
}

// printerPlan is the receipt printer the configuration names, checked.
type printerPlan struct {
	address    string
	paper      escpos.Paper
	orderQR    bool
	skipStatus bool
}

// planPrinter checks printer and printer_paper; nil when no printer is set.
func planPrinter(cfg fileConfig) (*printerPlan, error) {
	if cfg.Printer == "" {
		if given := printerSettingGiven(cfg); given != "" {
			return nil, refused(given, errors.New(say.Config.PrinterNeeded))
		}
		return nil, nil
	}
	addr, err := escpos.ParseAddress(strings.TrimSpace(cfg.Printer))
	var ae *escpos.AddressError
	if errors.As(err, &ae) {
		return nil, refused("printer", errors.New(say.Config.PrinterAddress.F(cfg.Printer, addressProblem(ae))))
	} else if err != nil {
		return nil, refused("printer", err)
	}
	paper := cfg.PrinterPaper.Paper
	if paper == 0 {
		paper = escpos.Paper80
	}
	return &printerPlan{address: addr.String(), paper: paper, orderQR: cfg.PrinterQR, skipStatus: cfg.PrinterSkipStatus}, nil
}

// printerSettingGiven is the first of the settings that need printer
// that is given, or "".
func printerSettingGiven(cfg fileConfig) string {
	switch {
	case cfg.PrinterPaper.Paper != 0:
		return "printer_paper"
	case cfg.PrinterQR:
		return "printer_qr"
	case cfg.PrinterSkipStatus:
		return "printer_skip_status"
	}
	return ""
}

// addressProblem says in the kiosk's words why a printer address was
// refused.
func addressProblem(ae *escpos.AddressError) string {
	w := &say.Config.PrinterWhy
	switch ae.Problem {
	case escpos.AddressEmpty:
		return w.Empty.F(w.Forms)
	case escpos.AddressNotAbsolute:
		return w.NotAbsolute.F(w.Forms)
	case escpos.AddressNoHost:
		return w.NoHost.F(w.Forms)
	case escpos.AddressScheme:
		return w.Scheme.F(ae.Detail, w.Forms)
	case escpos.AddressNoPrefix:
		return w.NoPrefix.F(ae.Detail)
	case escpos.AddressUnclean:
		return w.Unclean.F(ae.Detail)
	case escpos.AddressPort:
		return w.Port.F(ae.Detail)
	}
	plain := map[escpos.AddressProblem]string{
		escpos.AddressSpaces: w.Spaces, escpos.AddressControl: w.Control, escpos.AddressDirectory: w.Directory,
		escpos.AddressInvalid: w.Invalid, escpos.AddressUserInfo: w.UserInfo, escpos.AddressAfterPort: w.AfterPort,
		escpos.AddressNoPort: w.NoPort,
	}
	if why, ok := plain[ae.Problem]; ok {
		return why
	}
	return w.Other
}

// receiptPrinter is the counter's printer (a ui.Printer): one job at a
// time, each on a connection of its own, so that a printer switched off
// and on again is found again at the next job. Every job is logged with
// how it went; the screens say it to the cashier.
type receiptPrinter struct {
	address string
	opts    escpos.Options
	logger  *slog.Logger

	// turn holds a token while a job prints: one job at a time, so jobs
	// never interleave on paper. A channel rather than a mutex, so that a
	// job waiting its turn gives up at its own deadline instead of waiting
	// out the job before it.
	turn chan struct{}
}

func newReceiptPrinter(plan printerPlan, logger *slog.Logger) *receiptPrinter {
	return &receiptPrinter{address: plan.address, opts: escpos.Options{SkipStatus: plan.skipStatus},
		logger: logger.With("printer", plan.address), turn: make(chan struct{}, 1)}
}

// Print sends job to the printer; the error is escpos's. A job whose
// context ends while another job prints is not sent: it fails as timed
// out (or failed, when the context was cancelled) in the queue.
func (p *receiptPrinter) Print(ctx context.Context, job []byte) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return p.gaveUpWaiting(ctx, len(job))
	}
	defer func() { <-p.turn }()
	start := time.Now()
	err := escpos.Print(ctx, p.address, job, p.opts)
	if err != nil {
		attrs := []any{"bytes", len(job), "duration_ms", time.Since(start).Milliseconds(), "error", err.Error()}
		var pe *escpos.Error
		if errors.As(err, &pe) && pe.Op == "status" && pe.Kind == escpos.TimedOut {
			// Some network printers and print servers never answer DLE EOT:
			// the hint is the setting that lets them print, a key for
			// whoever reads the log (kiosk doctor says it in words).
			attrs = append(attrs, "hint", "printer_skip_status")
		}
		p.logger.Warn("print failed", attrs...)
		return err
	}
	p.logger.Info("printed", "bytes", len(job), "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// gaveUpWaiting is the error of a job whose context ended before the job
// ahead of it was done.
func (p *receiptPrinter) gaveUpWaiting(ctx context.Context, size int) error {
	kind := escpos.Failed
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		kind = escpos.TimedOut
	}
	p.logger.Warn("print failed", "bytes", size, "error", "gave up waiting for the job before it", "cause", ctx.Err().Error())
	return &escpos.Error{Kind: kind, Address: p.address, Op: "queue", Err: ctx.Err()}
}

// printerProbe asks the configured printer how it is, printing nothing:
// kiosk doctor's check of it (a pos.PrinterProbe).
type printerProbe struct{ plan printerPlan }

func (p printerProbe) Probe(ctx context.Context) pos.PrinterAnswer {
	addr, err := escpos.ParseAddress(p.plan.address)
	if err != nil {
		return pos.PrinterAnswer{Err: err}
	}
	opts := escpos.Options{SkipStatus: p.plan.skipStatus}
	pr, err := escpos.Open(ctx, addr, opts)
	if err != nil {
		return pos.PrinterAnswer{Err: err}
	}
	defer pr.Close()
	a := pos.PrinterAnswer{Reached: true, Waited: escpos.DefaultStatusTimeout}
	if p.plan.skipStatus && addr.IsNetwork() {
		return a
	}
	st, err := pr.Status(ctx)
	a.Asked = addr.IsNetwork() || st.Known
	if err != nil {
		a.Err = err
		return a
	}
	a.Answered = true
	switch st.Problem() {
	case escpos.OutOfPaper:
		a.Says = pos.PrinterOutOfPaper
	case escpos.CoverOpen:
		a.Says = pos.PrinterCoverOpen
	case escpos.Offline:
		a.Says = pos.PrinterOffline
	}
	return a
}
