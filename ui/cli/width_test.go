package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"kiosk/pos"
)

// startOf is the display column at which want starts in line.
func startOf(line, want string) int {
	i := strings.Index(line, want)
	if i < 0 {
		return -1
	}
	return lipgloss.Width(line[:i])
}

// TestTablesMeasureDisplayWidth: a Chinese terminal or store takes two
// cells a character, and the columns after it still line up, in the
// ledger's table and in head office's report.
func TestTablesMeasureDisplayWidth(t *testing.T) {
	d := seedDay()
	d.Sales = d.Sales[:2]
	d.Sales[0].TerminalID = "收银台一号"
	var buf bytes.Buffer
	if err := WriteDay(&buf, d, "table"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	header, first, second := lines[2], lines[3], lines[4]
	if a, b, c := startOf(header, "SUBJECT"), startOf(first, "Coffee"), startOf(second, "Coffee"); a != b || b != c || a < 0 {
		t.Errorf("SUBJECT at %d, the subjects at %d and %d:\n%s", a, b, c, buf.String())
	}

	r := pos.Report{Date: "2026-12-01", Kind: pos.ReportX, Totals: pos.Totals{Count: 1}}
	rep := pos.ChainReport{Date: "2026-12-01",
		Terminals: []pos.TerminalReport{{StoreID: "旗舰店", TerminalID: "T1", Report: r}, {StoreID: "S2", TerminalID: "T2", Report: r}},
		Stores:    []pos.StoreReport{{StoreID: "旗舰店", Terminals: 1, Report: r}, {StoreID: "S2", Terminals: 1, Report: r}},
		Chain:     r}
	buf.Reset()
	if err := writeCentralReport(&buf, rep, "table"); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(buf.String(), "\n")
	for _, l := range lines[3:5] {
		if a, b := startOf(lines[2], "TERMINAL"), startOf(l, "T"); a != b {
			t.Errorf("TERMINAL at %d, a terminal at %d:\n%s", a, b, buf.String())
		}
	}
}

// realDay is seedRefunds' busy day with the kiosk's own order numbers,
// Alipay's 28-digit trade numbers and a long subject: a table of about
// 120 columns.
func realDay() pos.Day {
	d := seedRefunds()[1]
	for i := range d.Sales {
		s := &d.Sales[i]
		s.OutTradeNo = fmt.Sprintf("KT1_2024051709%02d00000_ABCD%02d", i, i)
		if s.TradeNo != "" {
			s.TradeNo = fmt.Sprintf("20240517220014%014d", i)
		}
		s.TerminalID, s.Subject = "COUNTER-01", "Corner Shop: coffee and cake"
	}
	return d
}

// TestLedgerTableFitsTheTerminal: on a terminal narrower than the table,
// kiosk ledger leaves out the terminal, then the trade number, then cuts
// the subject, as the ledger screen does, and says what it left out; the
// order number is never cut. Off a terminal (width 0) the table is whole.
func TestLedgerTableFitsTheTerminal(t *testing.T) {
	d := realDay()
	table := func(width int) string {
		t.Helper()
		var buf bytes.Buffer
		if err := WriteRange(&buf, []pos.Day{d}, "table", ExportOptions{Width: width}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	whole := table(0)
	if !strings.Contains(whole, d.Sales[0].TradeNo) || !strings.Contains(whole, "COUNTER-01") ||
		!strings.Contains(whole, "Corner Shop: coffee and cake") || strings.Contains(whole, "Left out") {
		t.Errorf("off a terminal the table is not whole:\n%s", whole)
	}
	if w := widest(strings.Split(whole, "\n")); w <= 100 {
		t.Fatalf("the whole table is %d columns: the test needs a wide one", w)
	}
	for _, c := range []struct {
		width   int
		has     []string
		hasNot  []string
		leftOut string
	}{
		{width: 140, has: []string{d.Sales[0].TradeNo, "Corner Shop: coffee and cake"}, hasNot: []string{"COUNTER-01"}, leftOut: "Left out to fit the window: TERMINAL."},
		{width: 110, has: []string{"Corner Shop: coffee and cake"}, hasNot: []string{"COUNTER-01", d.Sales[0].TradeNo}, leftOut: "TERMINAL, TRADE NO."},
		{width: 95, has: []string{"Corner Shop: cof…"}, hasNot: []string{"COUNTER-01", d.Sales[0].TradeNo, "coffee and cake"}, leftOut: "TERMINAL, TRADE NO."},
		{width: 80, hasNot: []string{"Corner"}, leftOut: "TERMINAL, TRADE NO, SUBJECT."},
	} {
		got := table(c.width)
		lines := strings.Split(got, "\n")
		table, _, _ := strings.Cut(strings.Join(lines[2:], "\n"), "\n\n")
		note := lines[len(strings.Split(table, "\n"))+3:] // and the totals, a sentence
		for _, l := range append(strings.Split(table, "\n"), note[:len(note)-3]...) {
			if w := lipgloss.Width(l); w > c.width {
				t.Errorf("width %d: a line %d wide: %q", c.width, w, l)
			}
		}
		got = strings.Join(strings.Fields(got), " ")
		for _, s := range d.Sales {
			if !strings.Contains(got, s.OutTradeNo) {
				t.Errorf("width %d: order %s cut or missing:\n%s", c.width, s.OutTradeNo, got)
			}
		}
		for _, want := range append(c.has, c.leftOut) {
			if !strings.Contains(got, want) {
				t.Errorf("width %d: no %q in:\n%s", c.width, want, got)
			}
		}
		for _, not := range c.hasNot {
			if strings.Contains(got, not) {
				t.Errorf("width %d: %q is there:\n%s", c.width, not, got)
			}
		}
	}
}
