package ui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"kiosk/pos"
)

// TestHelpShowsOnlyTheKeysThatWork: each screen's help line names the
// keys that do something on it as it stands, and a question's help says
// what Esc does there.
func TestHelpShowsOnlyTheKeysThatWork(t *testing.T) {
	t.Run("a day without sales", func(t *testing.T) {
		m := inLedger(t, newFakeCheckout(), 100, 32)
		s := screen(m)
		if strings.Contains(s, "choose sale") || strings.Contains(s, "enter details") || !strings.Contains(s, "x day report") {
			t.Errorf("the help of an empty day:\n%s", s)
		}
	})
	t.Run("cancel this sale?", func(t *testing.T) {
		f := newFakeCheckout()
		m := drive(t, ready(t, f), append(typed("5"), press("enter"), press("esc"))...)
		s := screen(m)
		if !strings.Contains(s, "n/esc no, keep waiting") || strings.Contains(s, "esc cancel sale") {
			t.Errorf("the question's help:\n%s", s)
		}
	})
	t.Run("close the day?", func(t *testing.T) {
		m := drive(t, inLedger(t, managerCheckout(), 100, 32), mkeys("x", "z")...)
		s := screen(m)
		if !strings.Contains(s, "y yes, close the day · n/esc no") || strings.Contains(s, "esc back to the ledger") {
			t.Errorf("the question's help:\n%s", s)
		}
	})
	t.Run("a closed day", func(t *testing.T) {
		f := managerCheckout()
		f.ReportFn = func(date string) (pos.Report, error) {
			r := testReport(date)
			r.Kind, r.Number = pos.ReportZ, 3
			return r, nil
		}
		m := drive(t, inLedger(t, f, 100, 32), mkey("x"))
		if s := screen(m); strings.Contains(s, "z close the day") || !strings.Contains(s, "esc back to the ledger") {
			t.Errorf("the help of a closed day's report:\n%s", s)
		}
	})
}

// TestHelpWrapsBetweenKeysInANarrowWindow: no key of a help line is cut
// off or split across lines.
func TestHelpWrapsBetweenKeysInANarrowWindow(t *testing.T) {
	m := inLedger(t, managerCheckout(), 60, 32)
	s := screen(m)
	for _, line := range strings.Split(s, "\n") {
		if w := lipgloss.Width(line); w > 60 {
			t.Errorf("a line %d cells wide in a 60-column window: %q", w, line)
		}
	}
	for _, key := range []string{"←/→ other day", "↑/↓ choose sale", "enter details", "x day report", "esc back to selling", "ctrl+c quit"} {
		if !strings.Contains(s, key) {
			t.Errorf("the help lacks %q whole:\n%s", key, s)
		}
	}
}

// TestLedgerColumnsMeasureDisplayWidth: a terminal or a status in Chinese
// takes two cells a character, and the columns after it still line up;
// no line runs past an 80-column window.
func TestLedgerColumnsMeasureDisplayWidth(t *testing.T) {
	f := newFakeCheckout()
	f.DayFn = func(date string) (pos.Day, error) {
		d := testDay(date)
		d.Sales[1].TerminalID = "收银台一号"
		d.Sales[2].TradeNo = "收银台"
		return d, nil
	}
	for _, line := range strings.Split(screen(inLedger(t, f, 80, 24)), "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("a line %d cells wide on an 80-column screen: %q", w, line)
		}
	}
	var rows []string
	for _, line := range strings.Split(screen(inLedger(t, f, 140, 32)), "\n") {
		if strings.Contains(line, ":00  ") {
			rows = append(rows, strings.TrimRight(line, " "))
		}
	}
	if len(rows) != 5 {
		t.Fatalf("%d sale rows, want 5", len(rows))
	}
	// The terminal, the last column, starts at the same cell on every row.
	col := -1
	for _, r := range rows {
		fields := strings.Fields(r)
		at := lipgloss.Width(r) - lipgloss.Width(fields[len(fields)-1])
		if col >= 0 && at != col {
			t.Errorf("the terminal column starts at %d on one row and %d on another:\n%s", col, at, strings.Join(rows, "\n"))
		}
		col = at
	}
}
