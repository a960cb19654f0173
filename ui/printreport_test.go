package ui

import (
	"strings"
	"testing"

	"kiosk/internal/printertest"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// TestPrintedReportExplainsTheNet: on 58 and 80 mm, the printed report's
// split by way of paying has the sales and the refunded amount too (what
// lies between the amount paid and the net), and each hour is printed as
// its span.
func TestPrintedReportExplainsTheNet(t *testing.T) {
	for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
		say := words.Chinese
		text := strings.Join(printertest.Lines(printoutIn(say, paper).Report(closedDay)), "\n")
		f := &say.Figures
		for _, want := range []string{f.MethodSales, f.MethodRefunded, f.MethodNet, "18:00-19:00", "￥3.00"} {
			if !strings.Contains(text, want) {
				t.Errorf("%d mm: no %q in:\n%s", paper, want, text)
			}
		}
	}
}
