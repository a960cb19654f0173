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
// its span (18:00-19:00 on 80 mm, 18-19 on 58 mm, where the long form
// leaves no room for the figures beside it).
func TestPrintedReportExplainsTheNet(t *testing.T) {
	for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
		say := words.Chinese
		text := strings.Join(printertest.Lines(printoutIn(say, paper).Report(closedDay)), "\n")
		f := &say.Figures
		span := map[escpos.Paper]string{escpos.Paper58: "18-19 ", escpos.Paper80: "18:00-19:00 "}[paper]
		for _, want := range []string{f.MethodSales, f.MethodRefunded, f.MethodNet, span, "￥3.00"} {
			if !strings.Contains(text, want) {
				t.Errorf("%d mm: no %q in:\n%s", paper, want, text)
			}
		}
	}
}
