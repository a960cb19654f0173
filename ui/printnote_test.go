package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestPrintNotesBelongToThePrintThatMadeThem: "report printed" and
// "refund slip printed" stand on the screen that printed, and are gone
// when the same report or sale is opened again later and nothing printed
// that time.
func TestPrintNotesBelongToThePrintThatMadeThem(t *testing.T) {
	for _, say := range words.All {
		t.Run(say.Lang.Tag+"/report", func(t *testing.T) {
			var jobs [][]byte
			m := printing(t, newFakeCheckout(), recordingPrinter{jobs: &jobs}, say)
			m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("x"), press("p"))
			if len(jobs) != 1 {
				t.Fatalf("p printed %d jobs", len(jobs))
			}
			screenHas(t, m, say.Paper.ReportPrinted)
			m = drive(t, m, press("esc"))
			m = drive(t, m, press("x"))
			if m.manager.page != pageReport || strings.Contains(screenFlat(m), squash(say.Paper.ReportPrinted)) {
				t.Errorf("the report opened again still says it printed:\n%s", screen(m))
			}
		})
		t.Run(say.Lang.Tag+"/refund slip", func(t *testing.T) {
			var jobs [][]byte
			f := newFakeCheckout()
			sale := slipSale
			sale.RefundedFen, sale.Refunds = 0, nil
			f.DayFn = func(date string) (pos.Day, error) { return pos.Day{Date: date, Sales: []pos.SaleRecord{sale}}, nil }
			m := printing(t, f, recordingPrinter{jobs: &jobs}, say)
			m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("enter"))
			m.manager.page, m.manager.refund = pageRefund, newRefundModel(m.say, sale)
			m.manager.refund.step = refundSending
			m = drive(t, m, refundedMsg{id: sale.OutTradeNo, fen: 300, sale: slipSale})
			if len(jobs) != 1 {
				t.Fatalf("the refund printed %d jobs", len(jobs))
			}
			screenHas(t, m, say.Paper.SlipPrinted)
			m = drive(t, m, press("esc"), press("enter"))
			if m.manager.page != pageDetail || strings.Contains(screenFlat(m), squash(say.Paper.SlipPrinted)) {
				t.Errorf("the sale opened again still says its slip printed:\n%s", screen(m))
			}
			// A refund that is then refused prints nothing, and says nothing of paper.
			m.manager.page, m.manager.refund = pageRefund, newRefundModel(m.say, slipSale)
			m.manager.refund.step = refundSending
			m = drive(t, m, refundedMsg{id: sale.OutTradeNo, fen: 100, err: errors.New("refused")})
			if strings.Contains(screenFlat(m), squash(say.Paper.SlipPrinted)) {
				t.Errorf("a refused refund says a slip printed:\n%s", screen(m))
			}
		})
	}
}

func squash(s string) string    { return strings.Join(strings.Fields(s), "") }
func screenFlat(m Model) string { return squash(screen(m)) }
