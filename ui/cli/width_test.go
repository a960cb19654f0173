package cli

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
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

// TestLedgerTableFitsTheTerminal: narrower than the table, kiosk ledger
// leaves out the terminal, then the trade number, then cuts the subject
// and leaves it out, then cuts the order numbers to their ends; the time,
// receipt number, status, amounts and how each sale was paid always stay,
// and the note says what went and where to see it all. At 80 columns
// every line fits, in English and in Chinese. With no width (0) the
// table is whole.
func TestLedgerTableFitsTheTerminal(t *testing.T) {
	d := realDay()
	d.Sales[1].Method = pos.PayByCode
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
		t.Errorf("with no width the table is not whole:\n%s", whole)
	}
	if w := widest(strings.Split(whole, "\n")); w <= 110 {
		t.Fatalf("the whole table is %d columns: the test needs a wide one", w)
	}
	always := []string{"TIME", "RECEIPT", "STATUS", "AMOUNT", "REFUNDED", "PAID BY", "QR scan", "pay code", "¥24.68", "¥4.68", "0003"}
	for _, c := range []struct {
		width    int
		has      []string
		hasNot   []string
		leftOut  string
		wholeOrd bool
	}{
		{width: 150, has: []string{d.Sales[0].TradeNo, "Corner Shop: coffee and cake"}, hasNot: []string{"COUNTER-01"}, leftOut: "Left out or cut to fit the width: TERMINAL.", wholeOrd: true},
		{width: 120, has: []string{"Corner Shop: coffee and cake"}, hasNot: []string{"COUNTER-01", d.Sales[0].TradeNo}, leftOut: "TERMINAL, TRADE NO.", wholeOrd: true},
		{width: 105, has: []string{"Corner Shop: cof…"}, hasNot: []string{"COUNTER-01", d.Sales[0].TradeNo, "and cake"}, leftOut: "TERMINAL, TRADE NO, SUBJECT.", wholeOrd: true},
		{width: 80, hasNot: []string{"Corner", d.Sales[0].OutTradeNo}, leftOut: "TERMINAL, TRADE NO, SUBJECT, ORDER."},
	} {
		got := table(c.width)
		for _, l := range strings.Split(got, "\n") {
			if w := lipgloss.Width(l); w > c.width {
				t.Errorf("width %d: a line %d wide: %q", c.width, w, l)
			}
		}
		got = strings.Join(strings.Fields(got), " ")
		for _, s := range d.Sales {
			if want := s.OutTradeNo[len(s.OutTradeNo)-12:]; !c.wholeOrd && !strings.Contains(got, want) {
				t.Errorf("width %d: order %s lost its end %s:\n%s", c.width, s.OutTradeNo, want, got)
			} else if c.wholeOrd && !strings.Contains(got, s.OutTradeNo) {
				t.Errorf("width %d: order %s cut or missing:\n%s", c.width, s.OutTradeNo, got)
			}
		}
		for _, want := range slices.Concat(always, c.has, []string{c.leftOut, "kiosk ledger --format csv (or json)"}) {
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

	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	zh := table(80)
	for _, l := range strings.Split(zh, "\n") {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("Chinese at 80: a line %d wide: %q", w, l)
		}
	}
	for _, want := range []string{"交易 7 笔 · 收款 3 笔 ¥47.02 ·", "时间", "小票号", "状态", "金额", "已退款", "付款方式", "扫码", "付款码", "¥24.68", "kiosk ledger --format csv（或 json）"} {
		if !strings.Contains(zh, want) {
			t.Errorf("Chinese at 80: no %q in:\n%s", want, zh)
		}
	}
}
