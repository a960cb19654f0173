package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestAReversedSaleSaysTheBuyerPaidAndGotItBack: the detail of a sale the
// kiosk's own cancel reversed (the buyer paid at the last second; no
// receipt was issued; the money went back) agrees with its history in
// both languages: its receipt field says it was paid and given back, not
// "not paid"; its history calls the event a reversal, as the ledger's
// status does, not a refund; nothing is left to refund because the
// reversal gave it all back, and no refund was made.
func TestAReversedSaleSaysTheBuyerPaidAndGotItBack(t *testing.T) {
	at := time.Date(2026, 12, 2, 4, 50, 43, 0, time.UTC)
	sale := pos.SaleRecord{OutTradeNo: "KT1_20261202045043409_LSKA3V", Status: pos.StatusRefunded, AmountFen: 700,
		TradeNo: "2026120222001266851315021953", CreatedAt: at, Subject: "门店消费", TerminalID: "T1", RefundedFen: 700,
		History: []pos.Event{
			{At: at, Status: pos.StatusPending},
			{At: at.Add(12 * time.Second), Status: pos.StatusRefunded, Note: pos.Note{Code: pos.NoteClosedRefunded}},
		}}
	for _, tt := range []struct {
		say                  *words.Words
		receipt, event, left string
		notSaid              []string
	}{
		{words.English, "none (paid, then given back by the reversal)", "reversed", "nothing: the reversal gave it all back",
			[]string{"not paid", "  refunded  ", "No refunds."}},
		{words.Chinese, "无（顾客已付款，撤销时已退回）", "撤销（已冲正）", "无：撤销时已全额退回顾客",
			[]string{"未付款", "  已退款  ", "没有退款。"}},
	} {
		t.Run(tt.say.Lang.Tag, func(t *testing.T) {
			c := common{say: tt.say, styles: defaultStyles(), keys: defaultKeys(tt.say), loc: time.UTC, width: 78, height: 22}
			body := ansi.Strip(detailModel{sale: sale}.body(c))
			for _, want := range []string{tt.receipt, tt.left, tt.say.Detail.GivenBack} {
				if !strings.Contains(body, want) {
					t.Errorf("the detail lacks %q:\n%s", want, body)
				}
			}
			if !strings.Contains(body, "2026-12-02 04:50:55  "+tt.event+"  ") {
				t.Errorf("the history does not call the reversal %q:\n%s", tt.event, body)
			}
			for _, s := range tt.notSaid {
				if strings.Contains(body, s) {
					t.Errorf("the detail says %q of a sale the buyer paid and got back:\n%s", s, body)
				}
			}
		})
	}
}
