package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
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
		return nil, usageError{err}
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
		return usagef("central needs a subcommand: report, ledger, status, reconcile or verify")
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
	return usagef("unknown central subcommand %q: use report, ledger, status, reconcile or verify", args[0])
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
		return usageError{err}
	}
	if f.fs.NArg() > 0 {
		return usagef("%s takes no arguments, got %q", f.fs.Name(), f.fs.Arg(0))
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return usageError{err}
	}
	f.cfg = cfg
	loc, err := cfg.location()
	if err != nil {
		return usageError{err}
	}
	if *f.date == "" {
		*f.date = time.Now().In(loc).Format(time.DateOnly)
	}
	return nil
}

func (f *centralFlags) filter() central.Filter {
	return central.Filter{Store: *f.store, Terminal: *f.terminal}
}

// withDB runs fn on head office's database.
func (f *centralFlags) withDB(fn func(ctx context.Context, db *central.DB) error) error {
	if f.cfg.CentralLedger == "" {
		return usagef("no head office: set central_ledger in the config (--config FILE) or KIOSK_CENTRAL_LEDGER to its PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := central.Open(ctx, f.cfg.CentralLedger)
	if err != nil {
		return err
	}
	defer db.Close()
	return asUsage(fn(ctx, db))
}

func centralReport(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central report", "table", "table or json")
	if err := f.parse(args); err != nil {
		return err
	}
	return f.withDB(func(ctx context.Context, db *central.DB) error {
		rep, err := db.Report(ctx, *f.date, f.filter())
		if err != nil {
			return err
		}
		return writeCentralReport(out, rep, *f.format)
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
	first, last := *f.date, *f.date
	if *from != "" {
		first, last = *from, cmp.Or(*to, *from)
	}
	return f.withDB(func(ctx context.Context, db *central.DB) error {
		days, err := db.Days(ctx, first, last, f.filter())
		if err != nil {
			return err
		}
		return store.WriteChain(out, days, *f.format, store.ExportOptions{BOM: *bom})
	})
}

func centralStatus(args []string, out io.Writer) error {
	f := newCentralFlags("kiosk central status", "table", "table or json")
	if err := f.parse(args); err != nil {
		return err
	}
	return f.withDB(func(ctx context.Context, db *central.DB) error {
		all, err := db.Status(ctx)
		if err != nil {
			return err
		}
		var terminals []central.TerminalStatus
		for _, t := range all {
			if (*f.store == "" || t.StoreID == *f.store) && (*f.terminal == "" || t.TerminalID == *f.terminal) {
				terminals = append(terminals, t)
			}
		}
		loc, _ := f.cfg.location() // checked by parse
		return writeCentralStatus(out, terminals, *f.format, loc)
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
		return usagef("reconcile compares the whole merchant account with Alipay's bill; --store and --terminal do not apply")
	}
	client, err := reconcileClient(*f.config, dataDir(*data, ""))
	if err != nil {
		return err
	}
	return f.withDB(func(ctx context.Context, db *central.DB) error {
		days, err := db.Days(ctx, *f.date, *f.date, f.filter())
		if err != nil {
			return err
		}
		return reconcileDay(ctx, out, client, days[0], *f.format, "head office's ledger")
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
	ledger, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ledger.Close()
	terminal := cmp.Or(f.cfg.TerminalID, pos.DefaultTerminalID)
	return f.withDB(func(ctx context.Context, db *central.DB) error {
		v, err := db.Verify(ctx, ledger, terminal)
		if err != nil {
			return err
		}
		if err := writeVerification(out, dir, v, *f.format); err != nil {
			return err
		}
		if !v.OK() {
			return fmt.Errorf("the ledger in %s and head office differ: %d difference(s)", dir, len(v.Differences)+v.Omitted)
		}
		return nil
	})
}

// The rendering below takes only data, so that it can move into ui.

// writeCentralReport prints head office's report: a line per terminal,
// per store and for the chain (table), or every report in the shape of
// `kiosk ledger report --format json` (json).
func writeCentralReport(w io.Writer, rep central.Report, format string) error {
	switch format {
	case "json":
		return writeCentralReportJSON(w, rep)
	case "table":
	default:
		return usagef("--format %q: use table or json", format)
	}
	rows := [][]string{{"STORE", "TERMINAL", "DAY", "SALES", "PAID", "PAID AMOUNT", "REFUNDED", "NET", "CANCELLED", "UNSETTLED", "LAST CHANGE"}}
	for _, t := range rep.Terminals {
		rows = append(rows, totalsRow(orDash(t.StoreID), t.TerminalID, dayStatus(t), t.Report.Totals, clock(t.LastEventAt, t.Report.CreatedAt.Location())))
	}
	for _, s := range rep.Stores {
		rows = append(rows, totalsRow(orDash(s.StoreID), fmt.Sprintf("%d terminal(s)", s.Terminals), "", s.Report.Totals, ""))
	}
	rows = append(rows, totalsRow("CHAIN", fmt.Sprintf("%d terminal(s)", len(rep.Terminals)), "", rep.Chain.Totals, ""))
	var b strings.Builder
	fmt.Fprintf(&b, "Head office report %s: %d terminal(s) in %d store(s)\n\n", rep.Date, len(rep.Terminals), len(rep.Stores))
	if len(rep.Terminals) == 0 {
		b.WriteString("No terminal has sales on this day.\n")
	} else {
		writeColumns(&b, rows, 3)
	}
	if e := rep.Chain.EarlierRefunds; e.Count > 0 {
		fmt.Fprintf(&b, "\nRefunds made this day of earlier days' sales: %d, ¥%s\n", e.Count, pos.FormatAmount(e.Fen))
	}
	if u := rep.Chain.Unsettled(); u > 0 {
		fmt.Fprintf(&b, "\nNote: %d sale(s) still pending or unknown; their outcome may change these figures.\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func totalsRow(storeID, terminal, day string, t store.Totals, last string) []string {
	yuan := func(fen int64) string { return "¥" + pos.FormatAmount(fen) }
	return []string{storeID, terminal, day, fmt.Sprint(t.Count), fmt.Sprint(t.Paid), yuan(t.PaidFen), yuan(t.RefundedFen),
		yuan(t.NetFen), fmt.Sprint(t.Cancelled), fmt.Sprint(t.Pending + t.Unknown), last}
}

// dayStatus says whether the terminal closed the day: "Z 0007" or "open".
func dayStatus(t central.TerminalReport) string {
	if t.Report.ZNumber > 0 {
		return fmt.Sprintf("Z %04d", t.Report.ZNumber)
	}
	return "open"
}

// clock is t in the shop's zone loc, "-" for none.
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() || t.Unix() == 0 {
		return "-"
	}
	return t.In(loc).Format(time.DateTime)
}

func orDash(s string) string { return cmp.Or(s, "-") }

// writeColumns writes rows two spaces apart, the first left columns
// aligned left and the others right, as figures are.
func writeColumns(b *strings.Builder, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < left || i == len(row)-1 {
				line.WriteString(cell + pad)
			} else {
				line.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

type centralTerminalJSON struct {
	StoreID     string          `json:"store_id"`
	TerminalID  string          `json:"terminal_id"`
	Day         string          `json:"day"` // "open" or "closed"
	ZNumber     int             `json:"z_number,omitempty"`
	ClosedAt    string          `json:"closed_at,omitempty"`
	LastEventAt string          `json:"last_event_at,omitempty"`
	Report      json.RawMessage `json:"report"`
}

type centralStoreJSON struct {
	StoreID   string          `json:"store_id"`
	Terminals int             `json:"terminals"`
	Report    json.RawMessage `json:"report"`
}

func writeCentralReportJSON(w io.Writer, rep central.Report) error {
	out := struct {
		Date      string                `json:"date"`
		Terminals []centralTerminalJSON `json:"terminals"`
		Stores    []centralStoreJSON    `json:"stores"`
		Chain     json.RawMessage       `json:"chain"`
	}{Date: rep.Date, Terminals: []centralTerminalJSON{}, Stores: []centralStoreJSON{}}
	var err error
	for _, t := range rep.Terminals {
		loc := t.Report.CreatedAt.Location() // the terminal's zone
		tj := centralTerminalJSON{StoreID: t.StoreID, TerminalID: t.TerminalID, Day: "open", ZNumber: t.Report.ZNumber}
		if tj.ZNumber > 0 {
			tj.Day, tj.ClosedAt = "closed", t.ClosedAt.In(loc).Format(time.RFC3339)
		}
		if !t.LastEventAt.IsZero() && t.LastEventAt.Unix() != 0 {
			tj.LastEventAt = t.LastEventAt.In(loc).Format(time.RFC3339)
		}
		if tj.Report, err = reportJSON(t.Report); err != nil {
			return err
		}
		out.Terminals = append(out.Terminals, tj)
	}
	for _, s := range rep.Stores {
		sj := centralStoreJSON{StoreID: s.StoreID, Terminals: s.Terminals}
		if sj.Report, err = reportJSON(s.Report); err != nil {
			return err
		}
		out.Stores = append(out.Stores, sj)
	}
	if out.Chain, err = reportJSON(rep.Chain); err != nil {
		return err
	}
	return writeJSON(w, out)
}

// reportJSON is r as `kiosk ledger report --format json` prints it.
func reportJSON(r store.Report) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := store.WriteReport(&b, r, "json"); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}

// writeCentralStatus prints each terminal's last event and how far
// behind head office was at its last contact.
func writeCentralStatus(w io.Writer, terminals []central.TerminalStatus, format string, loc *time.Location) error {
	switch format {
	case "json":
		type terminalJSON struct {
			StoreID       string `json:"store_id"`
			TerminalID    string `json:"terminal_id"`
			LedgerID      string `json:"ledger_id"`
			LastSeq       uint64 `json:"last_seq"`
			LastEventAt   string `json:"last_event_at,omitempty"`
			KioskHead     uint64 `json:"kiosk_head"`
			Behind        uint64 `json:"behind"`
			LastContact   string `json:"last_contact"`
			SecondsSilent int64  `json:"seconds_since_contact"`
		}
		out := make([]terminalJSON, 0, len(terminals))
		for _, t := range terminals {
			tj := terminalJSON{StoreID: t.StoreID, TerminalID: t.TerminalID, LedgerID: t.LedgerID, LastSeq: t.LastSeq,
				KioskHead: t.KioskHead, Behind: t.Behind, LastContact: t.LastContact.In(loc).Format(time.RFC3339), SecondsSilent: int64(t.Since.Seconds())}
			if !t.LastEventAt.IsZero() {
				tj.LastEventAt = t.LastEventAt.In(loc).Format(time.RFC3339)
			}
			out = append(out, tj)
		}
		return writeJSON(w, map[string]any{"terminals": out})
	case "table":
	default:
		return usagef("--format %q: use table or json", format)
	}
	var b strings.Builder
	if len(terminals) == 0 {
		b.WriteString("No terminal has sent anything to head office yet.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	rows := [][]string{{"STORE", "TERMINAL", "EVENTS", "BEHIND", "LAST CHANGE", "LAST CONTACT", "SILENT FOR"}}
	for _, t := range terminals {
		rows = append(rows, []string{orDash(t.StoreID), t.TerminalID, fmt.Sprint(t.LastSeq), fmt.Sprint(t.Behind),
			clock(t.LastEventAt, loc), clock(t.LastContact, loc), t.Since.Round(time.Second).String()})
	}
	writeColumns(&b, rows, 2)
	b.WriteString("\nBEHIND is how many changes the kiosk had that head office lacked, as of its last contact.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerification prints what `central verify` found.
func writeVerification(w io.Writer, dir string, v central.Verification, format string) error {
	switch format {
	case "json":
		diffs := v.Differences
		if diffs == nil {
			diffs = []central.Difference{}
		}
		return writeJSON(w, map[string]any{
			"data": dir, "ledger_id": v.LedgerID, "terminals": v.Terminals, "events": v.Events, "acked": v.Acked,
			"matched": v.Matched, "unsent": v.Unsent, "differences": diffs, "omitted": v.Omitted,
		})
	case "table":
	default:
		return usagef("--format %q: use table or json", format)
	}
	var b strings.Builder
	if v.LedgerID == "" {
		fmt.Fprintf(&b, "The ledger in %s has no outbox yet: the kiosk has written nothing since it was set up to send its ledger.\n", dir)
	} else {
		fmt.Fprintf(&b, "Ledger %s (outbox %s, terminal %s): %d event(s); head office holds %d as the ledger has them",
			dir, v.LedgerID, strings.Join(v.Terminals, ", "), v.Events, v.Matched)
		if v.Unsent > 0 {
			fmt.Fprintf(&b, ", %d not sent yet", v.Unsent)
		}
		b.WriteString(".\n")
	}
	if v.OK() {
		b.WriteString("No differences.\n")
	} else {
		fmt.Fprintf(&b, "%d difference(s):\n", len(v.Differences)+v.Omitted)
		for _, d := range v.Differences {
			where := strings.TrimSpace(strings.Join([]string{seqLabel(d.Seq), d.TerminalID, d.OutTradeNo}, " "))
			if where != "" {
				where += ": "
			}
			fmt.Fprintf(&b, "  - %s%s\n", where, d.Problem)
		}
		if v.Omitted > 0 {
			fmt.Fprintf(&b, "  ... and %d more\n", v.Omitted)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func seqLabel(seq uint64) string {
	if seq == 0 {
		return ""
	}
	return fmt.Sprintf("event %d", seq)
}
