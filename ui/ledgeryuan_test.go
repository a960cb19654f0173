package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestLedgerAmountsSayYuan: the day's list on the manager's screen writes
// every amount as the receipt and kiosk ledger do, "¥12.34", and what a
// sale refunded in part gave back as "−¥3.00", in English and in Chinese;
// at 80 columns (trade number and terminal hidden) and at 120, the
// amounts end in the column where their heading ends, a thousand yuan and
// five alike.
func TestLedgerAmountsSayYuan(t *testing.T) {
	f := managerCheckout()
	f.DayFn = func(date string) (pos.Day, error) {
		d := testDay(date)
		d.Sales[3].AmountFen = 123456 // wider than the others
		return d, nil
	}
	for _, say := range words.All {
		for _, w := range []int{80, 120} {
			m := New(f, Options{ShopName: "Corner Shop", Words: say, Location: time.UTC, After: f.after})
			m = drive(t, m, tea.WindowSizeMsg{Width: w, Height: 32}, recoveredMsg{}, mkey("ctrl+l"))
			s := screen(m)
			if w == 80 && strings.Contains(s, testTradeNo) {
				t.Errorf("%s at 80 columns: the trade number is not hidden:\n%s", say.Lang.Tag, s)
			}
			lines := strings.Split(s, "\n")
			heading := -1
			for _, l := range lines {
				if strings.Contains(l, say.Ledger.Time) && strings.Contains(l, say.Ledger.Order) {
					heading = endOf(l, say.Ledger.Amount)
				}
			}
			if heading < 0 {
				t.Fatalf("%s at %d columns: no heading %q:\n%s", say.Lang.Tag, w, say.Ledger.Amount, s)
			}
			day, _ := f.DayFn("")
			for _, sale := range day.Sales {
				line := lineWith(lines, sale.OutTradeNo)
				amount := words.Yuan(sale.AmountFen).String()
				if end := endOf(line, " "+amount+"  "); end < 0 || end-2 != heading {
					t.Errorf("%s at %d columns: %s ends at %d, its heading at %d:\n%s", say.Lang.Tag, w, amount, end-2, heading, s)
				}
				if sale.RefundedFen > 0 && sale.Status == pos.StatusPaid && !strings.Contains(line, " −"+words.Yuan(sale.RefundedFen).String()) {
					t.Errorf("%s at %d columns: the refund of %s is not in yuan: %q", say.Lang.Tag, w, sale.OutTradeNo, line)
				}
			}
		}
	}
}

// endOf is the display column just after want in line, or -1.
func endOf(line, want string) int {
	i := strings.Index(line, want)
	if i < 0 {
		return -1
	}
	return lipgloss.Width(line[:i+len(want)])
}

func lineWith(lines []string, want string) string {
	for _, l := range lines {
		if strings.Contains(l, want) {
			return l
		}
	}
	return ""
}
