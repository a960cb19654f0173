package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestLedgerTableFitsItsTerminal: kiosk ledger on an 80-column terminal
// leaves out columns until its table fits, the order number whole, and
// says what it left out; sent to a pipe or a file it keeps every column.
func TestLedgerTableFitsItsTerminal(t *testing.T) {
	dir := t.TempDir()
	c, sale, date := refundedOutside(t, dir, "")
	paid, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil || paid.TradeNo == "" {
		t.Fatalf("the sale: %+v, %v", paid, err)
	}
	args := []string{"ledger", "--data", dir, "--date", date}

	var whole bytes.Buffer
	if err := execute(args, stdio{in: strings.NewReader(""), out: &whole, diag: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(whole.String(), paid.TradeNo) || strings.Contains(whole.String(), "Left out") {
		t.Errorf("to a pipe the table is not whole:\n%s", whole.String())
	}

	master, slave, err := openPty(80, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&screen, master); close(done) }() // ends when the terminal closes
	err = execute(args, stdio{in: strings.NewReader(""), out: slave, diag: io.Discard})
	slave.Close()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(screen.String(), "\r\n", "\n")
	lines := strings.Split(got, "\n")
	for _, l := range lines[2:4] { // the header and the one sale
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("a line %d columns wide on an 80-column terminal: %q", w, l)
		}
	}
	if !strings.Contains(got, sale.OutTradeNo) || strings.Contains(got, paid.TradeNo) ||
		!strings.Contains(strings.Join(strings.Fields(got), " "), "Left out to fit the window: TERMINAL, TRADE NO") {
		t.Errorf("on the terminal:\n%s", got)
	}
}
