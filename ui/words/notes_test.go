package words

import (
	"testing"

	"kiosk/pos"
)

// TestNotesAreWordedFromTheirCodes: a note read back from the ledger is
// said in the catalogue's words, a reason and a cause included; a note
// with no code is shown as written.
func TestNotesAreWordedFromTheirCodes(t *testing.T) {
	timeout := pos.Problem{Kind: pos.KindTimeout}
	for _, tt := range []struct {
		note pos.Note
		want string
	}{
		{pos.Note{Text: "paid, receipt 0001"}, "paid, receipt 0001"},
		{pos.Note{Code: pos.NoteCancelled, Reason: pos.ReasonCashier}, "The cashier cancelled the sale; Alipay closed the trade."},
		{pos.Note{Code: pos.NoteCancelled, Reason: pos.StoppedBy("SIGTERM")}, "The kiosk was stopped (SIGTERM); Alipay closed the trade."},
		{pos.Note{Code: pos.NoteCancelled, Reason: "the customer left"}, "the customer left; Alipay closed the trade."},
		{pos.Note{Code: pos.NoteCancelUnconfirmed, Reason: pos.ReasonTimeout, Cause: timeout},
			"The time to pay ran out. Alipay could not confirm the cancellation; the sale will be checked again later. " +
				"Alipay did not answer in time. Check the network connection."},
		{pos.Note{Code: pos.NoteRefundedUnseen, Reason: pos.ReasonRecovered, Cause: timeout},
			"Recovered at start. The customer had paid, but the kiosk's last check for the payment got no usable answer " +
				"(Alipay did not answer in time), so it cancelled; the cancel refunded the payment to the customer."},
		{pos.Note{Code: pos.NoteNotStarted, Cause: pos.Problem{Kind: pos.KindTransport, NotStarted: true}},
			"The connection to Alipay failed before its answer arrived, so no QR code was shown and the sale did not start. " +
				"Alipay may have the order all the same: the kiosk cancels it with Alipay, and if the customer is charged the money goes back to them."},
		{pos.Note{Text: "refund R2 of 2.00 failed: ", Code: pos.NoteProblem,
			Cause: pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", SubCode: "ACQ.SELLER_BALANCE_NOT_ENOUGH"}},
			"refund R2 of 2.00 failed: Alipay rejected the request: the shop's Alipay balance is too low for this " +
				"(ACQ.SELLER_BALANCE_NOT_ENOUGH). Ask the manager to check the kiosk settings."},
		{pos.Note{Code: pos.NoteProblem, Cause: pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", SubMsg: "交易已冻结"}},
			`Alipay rejected the request: "交易已冻结", in Alipay's words (40004). Try again; if it happens again, ask the manager to check the kiosk settings.`},
	} {
		if got := English.NoteText(pos.ParseNote(tt.note.String())); got != tt.want {
			t.Errorf("NoteText(%#v)\n = %q\nwant %q", tt.note, got, tt.want)
		}
	}
}

// TestANoteSaysItsCauseAsAReason: inside a note that says what happens
// next, the cause is a short reason: no advice of its own (no "try
// again" where the kiosk settles the sale itself), no sentence nested in
// brackets; and the cashier reads it in their own voice, not of "the
// cashier" in the third person.
func TestANoteSaysItsCauseAsAReason(t *testing.T) {
	unexpected := pos.Problem{Kind: pos.KindUnexpected}
	for _, tt := range []struct {
		w    *Words
		note pos.Note
		want string
	}{
		{Chinese, pos.Note{Code: pos.NoteChargeUnconfirmed, Cause: unexpected},
			"支付宝对这笔付款的应答丢失，也无法向支付宝查询付款状态（无法解析支付宝的应答）。" +
				"这笔付款已按未成功处理：收银台会再次核对，如顾客已被扣款，款项会退回顾客。"},
		{English, pos.Note{Code: pos.NoteChargeUnconfirmed, Cause: unexpected},
			"Alipay's answer to the payment was lost, and Alipay could not be asked how the payment stands " +
				"(Alipay's answer could not be understood). This payment is treated as not made: the kiosk checks it again, " +
				"and if the customer was charged, the money goes back to them."},
		{Chinese, pos.Note{Code: pos.NoteNotifiedCancelled, Cause: pos.Problem{Kind: pos.KindTimeout}},
			"支付宝通知这笔已取消的交易有付款，但无法向其确认（支付宝未及时应答）。系统会再次核对，如有付款将退回顾客。"},
		{Chinese, pos.Note{Code: pos.NoteChargeUnconfirmed,
			Cause: pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", SubCode: "ACQ.SELLER_BALANCE_NOT_ENOUGH"}},
			"支付宝对这笔付款的应答丢失，也无法向支付宝查询付款状态（商户支付宝账户余额不足（ACQ.SELLER_BALANCE_NOT_ENOUGH））。" +
				"这笔付款已按未成功处理：收银台会再次核对，如顾客已被扣款，款项会退回顾客。"},
	} {
		if got := tt.w.NoteText(pos.ParseNote(tt.note.String())); got != tt.want {
			t.Errorf("NoteText(%#v)\n = %q\nwant %q", tt.note, got, tt.want)
		}
	}
}

// TestALanguageWithoutASingular: a Count with no One says Other for one
// thing too, and a blank can move with its index.
func TestALanguageWithoutASingular(t *testing.T) {
	c := Count{Other: "%d 笔销售"}
	if got := c.F(1); got != "1 笔销售" {
		t.Errorf("Count without One, for 1: %q", got)
	}
	moved := Count1[string]{Other: "%[2]s 有 %[1]d 个问题"}
	if got := moved.F(3, "/d"); got != "/d 有 3 个问题" {
		t.Errorf("reordered blanks: %q", got)
	}
	if got := English.CLI.CheckZ.F(1); got != "  1 Z report" {
		t.Errorf("one Z report: %q", got)
	}
}

func TestForFindsALanguageByItsTag(t *testing.T) {
	for tag, ok := range map[string]bool{"en": true, "en-GB": true, "EN": true, "fr": false, "": false} {
		if w, found := For(tag); found != ok || (ok && w != English) {
			t.Errorf("For(%q) = %v, %v", tag, w, found)
		}
	}
}

// TestMoneyIsWrittenOneWay: fen as people read it and as fields hold it.
func TestMoneyIsWrittenOneWay(t *testing.T) {
	for fen, want := range map[int64][2]string{1234: {"¥12.34", "12.34"}, 5: {"¥0.05", "0.05"}, 0: {"¥0.00", "0.00"}, -300: {"¥-3.00", "-3.00"}} {
		if got := [2]string{Yuan(fen).String(), Amount(fen)}; got != want {
			t.Errorf("%d fen: %q, want %q", fen, got, want)
		}
	}
	if got := Yuan(1234).Big(); got != "¥ 12.34" {
		t.Errorf("Big = %q", got)
	}
}

// TestHistoryIsSaidInEachLanguage: each fact the ledger records is said
// in the catalogue's words with its figures, before its note; the names
// the kiosk records as approvers are worded, a typed one is kept.
func TestHistoryIsSaidInEachLanguage(t *testing.T) {
	refused := pos.Note{Code: pos.NoteProblem, Cause: pos.Problem{Kind: pos.KindTimeout}}
	for _, tt := range []struct {
		e      pos.Event
		en, zh string
	}{
		{pos.Event{Fact: pos.FactCreated}, "Sale recorded.", "已创建订单。"},
		{pos.Event{Fact: pos.FactPaid, ReceiptNo: 7}, "Paid; receipt No. 0007.", "已收款，小票号 0007。"},
		{pos.Event{Fact: pos.FactPaid, ReceiptNo: 1, RefundDue: pos.DueAfterCancel},
			"Paid; receipt No. 0001. The payment arrived after the sale had been cancelled, so it goes back to the customer.",
			"已收款，小票号 0001。付款在交易取消后才到账，款项将退回顾客。"},
		{pos.Event{Fact: pos.FactRefundRequested, OutRequestNo: "R1", Fen: 200, ApprovedBy: pos.DefaultApprover, Reason: "spilt"},
			"Refund R1 of ¥2.00 requested. Approved by manager. Reason: spilt.", "已申请退款 ¥2.00（退款单号 R1）。授权人：店长。原因：spilt。"},
		{pos.Event{Fact: pos.FactRefundRequested, OutRequestNo: "R1", Fen: 200, ApprovedBy: pos.ReconcileApprover},
			"Refund R1 of ¥2.00 requested. Approved by reconciliation.", "已申请退款 ¥2.00（退款单号 R1）。授权人：对账。"},
		{pos.Event{Fact: pos.FactRefundDone, OutRequestNo: "R1", Fen: 200, RefundedFen: 300, AmountFen: 500, AfterFailed: true},
			"Refund R1 of ¥2.00 done; ¥3.00 of ¥5.00 refunded. Alipay reported it done after it had been recorded as failed.",
			"退款 ¥2.00 已完成（退款单号 R1）；已退 ¥3.00，原交易金额 ¥5.00。该退款曾记为失败，支付宝随后确认已退款。"},
		{pos.Event{Fact: pos.FactRefundFailed, OutRequestNo: "R1", Fen: 200, Note: refused},
			"Refund R1 of ¥2.00 failed. " + English.ExplainProblem(refused.Cause),
			"退款 ¥2.00 失败（退款单号 R1）。" + Chinese.ExplainProblem(refused.Cause)},
		{pos.Event{Fact: pos.FactRefundUnknown, OutRequestNo: "R1", Fen: 200},
			"Refund R1 of ¥2.00: Alipay gave no answer; it is asked again.", "退款 ¥2.00 未获支付宝应答（退款单号 R1），将再次查询。"},
		{pos.Event{Note: pos.Note{Code: pos.NoteClosed}}, "Alipay had already closed the trade.", "支付宝已关闭该交易。"},
		// A sentence of an old ledger that says no fact, as it is.
		{pos.Event{Note: pos.Note{Text: "paid by hand"}}, "paid by hand", "paid by hand"},
	} {
		if got := English.EventText(tt.e); got != tt.en {
			t.Errorf("English %+v\n = %q\nwant %q", tt.e, got, tt.en)
		}
		if got := Chinese.EventText(tt.e); got != tt.zh {
			t.Errorf("Chinese %+v\n = %q\nwant %q", tt.e, got, tt.zh)
		}
	}
	if got := Chinese.Approver("王经理"); got != "王经理" {
		t.Errorf("a typed approver: %q", got)
	}
}
