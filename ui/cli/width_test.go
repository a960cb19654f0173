package cli

import (
	"bytes"
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
