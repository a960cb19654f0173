package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestLedgerTableFitsItsTerminal: kiosk ledger on an 80-column terminal
// leaves out columns until its table fits, keeps how the sale was paid,
// and says what it left out and where to see everything; sent to a pipe
// or a file it fits 80 columns too, or COLUMNS when that is set.
func TestLedgerTableFitsItsTerminal(t *testing.T) {
	dir := t.TempDir()
	c, sale, date := refundedOutside(t, dir, "")
	paid, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil || paid.TradeNo == "" {
		t.Fatalf("the sale: %+v, %v", paid, err)
	}
	args := []string{"ledger", "--data", dir, "--date", date}
	fits := func(where, got string, width int) {
		t.Helper()
		lines := strings.Split(got, "\n")
		for _, l := range lines[2:4] { // the header and the one sale
			if w := lipgloss.Width(l); w > width {
				t.Errorf("%s: a line %d columns wide, more than %d: %q", where, w, width, l)
			}
		}
		flat := strings.Join(strings.Fields(got), " ")
		if !strings.Contains(got, sale.OutTradeNo[len(sale.OutTradeNo)-12:]) || strings.Contains(got, paid.TradeNo) ||
			!strings.Contains(flat, "PAID BY") || !strings.Contains(flat, "QR scan") ||
			!strings.Contains(flat, "Left out or cut to fit the width: TERMINAL, TRADE NO") ||
			!strings.Contains(flat, "kiosk ledger --format csv (or json)") {
			t.Errorf("%s:\n%s", where, got)
		}
	}
	ledger := func(columns string) string {
		t.Helper()
		t.Setenv("COLUMNS", columns)
		var out bytes.Buffer
		if err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: io.Discard}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	fits("to a pipe", ledger(""), 80)
	if whole := ledger("200"); !strings.Contains(whole, paid.TradeNo) || strings.Contains(whole, "Left out") {
		t.Errorf("to a pipe with COLUMNS=200 the table is not whole:\n%s", whole)
	}

	t.Setenv("COLUMNS", "200") // the terminal's own width wins
	screen := onTerminal(t, 80, func(tty *os.File) error {
		return execute(args, stdio{in: strings.NewReader(""), out: tty, diag: io.Discard})
	})
	fits("on the terminal", strings.ReplaceAll(string(screen), "\r\n", "\n"), 80)
}

// onTerminal runs fn with a pseudo-terminal of width columns and returns
// what fn wrote on it; it skips the test where there is none.
func onTerminal(t *testing.T, width int, fn func(tty *os.File) error) []byte {
	t.Helper()
	master, slave, err := openPty(width, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&screen, master); close(done) }() // ends when the terminal closes
	err = fn(slave)
	slave.Close()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	return screen.Bytes()
}
