package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

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
		if cfg.PrinterPaper.Paper != 0 || cfg.PrinterQR || cfg.PrinterSkipStatus {
			return nil, errors.New(say.Config.PrinterNeeded)
		}
		return nil, nil
	}
	addr, err := escpos.ParseAddress(strings.TrimSpace(cfg.Printer))
	var ae *escpos.AddressError
	if errors.As(err, &ae) {
		return nil, errors.New(say.Config.PrinterAddress.F(cfg.Printer, addressProblem(ae)))
	} else if err != nil {
		return nil, err
	}
	paper := cfg.PrinterPaper.Paper
	if paper == 0 {
		paper = escpos.Paper80
	}
	return &printerPlan{address: addr.String(), paper: paper, orderQR: cfg.PrinterQR, skipStatus: cfg.PrinterSkipStatus}, nil
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

	mu sync.Mutex // one job at a time: jobs never interleave on paper
}

func newReceiptPrinter(plan printerPlan, logger *slog.Logger) *receiptPrinter {
	return &receiptPrinter{address: plan.address, opts: escpos.Options{SkipStatus: plan.skipStatus}, logger: logger.With("printer", plan.address)}
}

// Print sends job to the printer; the error is escpos's.
func (p *receiptPrinter) Print(ctx context.Context, job []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	start := time.Now()
	err := escpos.Print(ctx, p.address, job, p.opts)
	if err != nil {
		attrs := []any{"bytes", len(job), "duration_ms", time.Since(start).Milliseconds(), "error", err.Error()}
		var pe *escpos.Error
		if errors.As(err, &pe) && pe.Op == "status" && pe.Kind == escpos.TimedOut {
			// Some network printers and print servers never answer DLE EOT.
			attrs = append(attrs, "hint", "the printer did not answer its status request; if it never does, set printer_skip_status = true")
		}
		p.logger.Warn("print failed", attrs...)
		return err
	}
	p.logger.Info("printed", "bytes", len(job), "duration_ms", time.Since(start).Milliseconds())
	return nil
}
