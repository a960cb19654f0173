package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// TestReconciliationSaysItsSources: a day without a bill yet says so
// plainly (not "Alipay is busy") and says the refunds were asked by
// number; every difference has what to do under the table.
func TestReconciliationSaysItsSources(t *testing.T) {
	rec := pos.Reconciliation{Date: "2026-12-01", Sales: 1, Refunds: pos.RefundsFromQueries,
		Bill: pos.BillCheck{NoBill: errors.New("isp.bill_not_exist"), NotYet: true},
		Differences: []pos.Difference{{OutTradeNo: "KT1_A", Ledger: pos.StatusPaid, LedgerFen: 666, Alipay: "TRADE_CLOSED",
			AlipayFen: 666, Issue: pos.IssueAlipayRefunded}}}
	var out bytes.Buffer
	if err := Reconciliation(&out, rec, "table", TheLedger); err == nil {
		t.Error("a difference did not fail")
	}
	for _, want := range []string{"has not made this day's bill yet", "Refunds: asked of Alipay by refund number",
		"Alipay gave the payment back in full (6.66)", "What to do:", "KT1_A: reconcile the day the money went back, with --apply"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "busy") {
		t.Errorf("a bill not made yet reads as Alipay busy:\n%s", out.String())
	}
}

// reconcileDiffs is a difference of every shape the table lays out: a
// trade the ledger lacks, a refund to record, a long reason.
var reconcileDiffs = []pos.Difference{
	{OutTradeNo: "KT1_20261201093000000_AAAAAA", Alipay: "TRADE_SUCCESS", AlipayFen: 1234, Issue: pos.IssueOnlyInBill},
	{OutTradeNo: "KT1_20261201094500000_BBBBBB", Ledger: pos.StatusPaid, LedgerFen: 666, Alipay: "TRADE_SUCCESS", AlipayFen: 666,
		Issue: pos.IssueRefundOnlyAtAlipay, Refund: &pos.BillRefund{OutTradeNo: "KT1_20261201094500000_BBBBBB", OutRequestNo: "desk-20261201-0001", Fen: 100}},
	{OutTradeNo: "KT1_20261201095000000_CCCCCC", Ledger: pos.StatusUnknown, LedgerFen: 100000, Alipay: pos.AlipayNotAsked,
		Issue: pos.IssueNotAsked, Cause: pos.Problem{Kind: pos.KindTimeout}},
}

// TestReconciliationFitsEightyColumns: the problem goes under its row,
// wrapped, so that no line of the table is wider than a terminal's 80
// columns (the sentences around it wrap as the terminal wraps them); a trade
// the ledger lacks has a blank ledger side, not "0.00".
func TestReconciliationFitsEightyColumns(t *testing.T) {
	rec := pos.Reconciliation{Date: "2026-12-01", Sales: 2, Bill: pos.BillCheck{Trades: 3}, Differences: reconcileDiffs}
	for _, lang := range words.All {
		t.Run(lang.Lang.Tag, func(t *testing.T) {
			Speak(lang)
			t.Cleanup(func() { Speak(words.English) })
			var out bytes.Buffer
			_ = Reconciliation(&out, rec, "table", TheLedger)
			table, _, _ := strings.Cut(out.String(), say.CLI.TodoHeader)
			_, table, _ = strings.Cut(table, "\n") // the day's summary: a sentence
			for _, l := range strings.Split(table, "\n") {
				if w := lipgloss.Width(l); w > 80 {
					t.Errorf("a line %d columns wide: %q\n%s", w, l, out.String())
				}
			}
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(l, reconcileDiffs[0].OutTradeNo) && strings.Contains(l, "0.00") {
					t.Errorf("a trade the ledger lacks has a ledger amount: %q", l)
				}
			}
		})
	}
	var out bytes.Buffer
	_ = Reconciliation(&out, rec, "table", TheLedger)
	for _, want := range []string{"desk-20261201-0001", "the ledger does not have it", "Alipay's bill has this trade"} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}

// fakeReconciler has a difference --apply can record.
type fakeReconciler struct {
	pinSet  bool
	applied []string // the PINs Apply got
}

func (f *fakeReconciler) Reconcile(context.Context, pos.Biller, string) (pos.Reconciliation, error) {
	if len(f.applied) > 0 {
		return pos.Reconciliation{Date: "2026-12-01", Sales: 1}, nil
	}
	return pos.Reconciliation{Date: "2026-12-01", Sales: 1, Differences: reconcileDiffs[1:2]}, nil
}

func (f *fakeReconciler) HasManagerPIN() (bool, error) { return f.pinSet, nil }

func (f *fakeReconciler) Apply(_ pos.Reconciliation, pin string) (pos.Applied, error) {
	f.applied = append(f.applied, pin)
	return pos.Applied{Recorded: 1}, nil
}

// countingReader counts the reads of the PIN.
type countingReader struct {
	io.Reader
	reads int
}

func (r *countingReader) Read(p []byte) (int, error) {
	r.reads++
	return r.Reader.Read(p)
}

// TestApplyWithoutAPINSaysSoBeforeAsking: with no manager PIN set,
// --apply says how to set one and reads nothing from standard input.
func TestApplyWithoutAPINSaysSoBeforeAsking(t *testing.T) {
	f := &fakeReconciler{}
	in := &countingReader{Reader: strings.NewReader("246813\n")}
	var out, prompts bytes.Buffer
	err := ReconcileApply(context.Background(), in, &prompts, &out, f, nil, "2026-12-01", "table")
	if err == nil || !strings.Contains(err.Error(), "No manager PIN is set") || !strings.Contains(err.Error(), "kiosk manager set-pin") || !errors.As(err, new(UsageError)) {
		t.Errorf("err %v, want that no manager PIN is set", err)
	}
	if in.reads != 0 || len(f.applied) != 0 || prompts.Len() != 0 {
		t.Errorf("%d reads of the PIN, applied %v, prompted %q", in.reads, f.applied, prompts.String())
	}
}

// TestApplyWithNoInputSaysWhatToDo: standard input at its end (/dev/null,
// a cron job) gets a sentence saying how to give the PIN, and nothing is
// recorded.
func TestApplyWithNoInputSaysWhatToDo(t *testing.T) {
	f := &fakeReconciler{pinSet: true}
	var out, prompts bytes.Buffer
	err := ReconcileApply(context.Background(), strings.NewReader(""), &prompts, &out, f, nil, "2026-12-01", "table")
	if err == nil || !strings.Contains(err.Error(), "Nothing was recorded") || !strings.Contains(err.Error(), "type the PIN when asked") {
		t.Errorf("err %v", err)
	}
	if len(f.applied) != 0 {
		t.Errorf("applied %v", f.applied)
	}
	if err := ReconcileApply(context.Background(), strings.NewReader("246813\n"), &prompts, &out, f, nil, "2026-12-01", "table"); err != nil ||
		len(f.applied) != 1 || f.applied[0] != "246813" {
		t.Errorf("with the PIN on a line: %v, applied %v", err, f.applied)
	}
}

// TestReconciliationCountsUnqueriedApart: a sale Alipay could not be asked
// about is counted apart, never as a difference, with no Alipay amount; a
// bill that could not be had is a failure, not a day without a bill; the
// error is an IncompleteError, not "differ"; JSON has [] differences and
// the unqueried apart.
func TestReconciliationCountsUnqueriedApart(t *testing.T) {
	rec := pos.Reconciliation{Date: "2026-12-02", Sales: 2, Refunds: pos.RefundsFromQueries, Differences: []pos.Difference{},
		Bill: pos.BillCheck{Failed: errors.New("alipay: response signature does not verify")},
		Unqueried: []pos.Difference{{OutTradeNo: "KT1_20261202093000000_AAAAAA", Ledger: pos.StatusPaid, LedgerFen: 123,
			Alipay: pos.AlipayNotAsked, Issue: pos.IssueNotAsked, Cause: pos.Problem{Kind: pos.KindTimeout}}}}
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
	var out bytes.Buffer
	err := Reconciliation(&out, rec, "table", TheLedger)
	if !errors.As(err, new(IncompleteError)) || strings.Contains(err.Error(), "不一致") {
		t.Errorf("error %v: want an IncompleteError, not a difference", err)
	}
	for _, want := range []string{"2026-12-02 对账：2 笔交易，0 处差异，1 笔未能查询。\n未能取得当天账单，仅按查询核对。原因：", "未能取得当天账单", "未核对"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "当天没有账单") {
		t.Errorf("a failed bill reads as no bill:\n%s", out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "KT1_") && strings.Contains(l, "未查询 0.00") {
			t.Errorf("an unqueried sale shows Alipay 0.00: %q", l)
		}
	}
	out.Reset()
	_ = Reconciliation(&out, rec, "json", TheLedger)
	for _, want := range []string{`"differences": []`, `"unqueried": [`, `"complete": false`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %s in:\n%s", want, out.String())
		}
	}
}

// TestReconciliationWordsAlipaysStatus: Alipay's side says its status in
// words (退款成功), not Alipay's code.
func TestReconciliationWordsAlipaysStatus(t *testing.T) {
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
	rec := pos.Reconciliation{Date: "2026-12-01", Sales: 2, Bill: pos.BillCheck{Read: true}, Differences: append([]pos.Difference(nil), reconcileDiffs[:2]...)}
	rec.Differences[1].Alipay = pos.AlipayRefundSuccess
	var out bytes.Buffer
	_ = Reconciliation(&out, rec, "table", TheLedger)
	if !strings.Contains(out.String(), "退款成功 1.00") && !strings.Contains(out.String(), "退款成功 6.66") {
		t.Errorf("no 退款成功 on Alipay's side:\n%s", out.String())
	}
	for _, code := range []string{"REFUND_SUCCESS", "TRADE_SUCCESS"} {
		if strings.Contains(out.String(), code) {
			t.Errorf("Alipay's code %s on the table:\n%s", code, out.String())
		}
	}
}

// TestReconciliationSaysWhyTheBillWasUnread: a bill that could not be read
// is said from its facts (what, in which file, line and column; a download
// that gave no bill and its HTTP status) in the language, never the
// reader's English.
func TestReconciliationSaysWhyTheBillWasUnread(t *testing.T) {
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
	for _, tt := range []struct {
		fault pos.BillFault
		want  string
	}{
		{pos.BillFault{Problem: pos.BillField, File: "20881234_业务明细.csv", Line: 7, Column: "订单金额（元）"},
			"\n无法读取账单：有无法识别的值（20881234_业务明细.csv，第 7 行，“订单金额（元）”列）。仅按查询核对。\n"},
		{pos.BillFault{Problem: pos.BillNotZip}, "\n无法读取账单：不是 ZIP 压缩包。仅按查询核对。\n"},
		{pos.BillFault{Problem: pos.BillNotDownloaded, Host: "dwbillcenter.alipay.com", Status: 410},
			"\n无法读取账单：从 dwbillcenter.alipay.com 下载未得到账单（HTTP 410）。仅按查询核对。\n"},
	} {
		rec := pos.Reconciliation{Date: "2026-12-02", Sales: 1, Differences: []pos.Difference{},
			Bill: pos.BillCheck{Unreadable: errors.New("alipay bill: bad value: alipay: malformed amount"), Fault: tt.fault}}
		var out bytes.Buffer
		_ = Reconciliation(&out, rec, "table", TheLedger)
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("no %q in:\n%s", tt.want, out.String())
		}
		if en := english.Words(out.String()); len(en) > 0 {
			t.Errorf("English %q in:\n%s", en, out.String())
		}
	}
}

// TestReconciliationNamesAReversedSaleAsTheLedgerDoes: a sale refunded
// without a receipt (reversed) is 撤销（已冲正） in the ledger's column,
// as the ledger and the reports say, and a refunded sale with a receipt
// is 已退款.
func TestReconciliationNamesAReversedSaleAsTheLedgerDoes(t *testing.T) {
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
	reversed := pos.Difference{OutTradeNo: "KT1_R", Ledger: pos.StatusRefunded, LedgerFen: 500, Alipay: "TRADE_SUCCESS", AlipayFen: 500, Issue: pos.IssueAlipayPaid}
	refunded := reversed
	refunded.OutTradeNo, refunded.LedgerReceipt = "KT1_P", 7
	for _, tt := range []struct {
		d    pos.Difference
		want string
	}{{reversed, words.Chinese.Status.Reversed + " 5.00"}, {refunded, words.Chinese.StatusName(pos.StatusRefunded) + " 5.00"}} {
		if got := ledgerSide(tt.d); got != tt.want {
			t.Errorf("%s: ledger side %q; want %q", tt.d.OutTradeNo, got, tt.want)
		}
	}
	if words.Chinese.Status.Reversed == words.Chinese.StatusName(pos.StatusRefunded) {
		t.Fatal("a reversed sale and a refunded one are named alike")
	}
}

// TestReconciliationAdviceFollowsTheReason: what to do about a sale
// Alipay could not be asked about follows the typed reason: only an answer
// that never came is a matter of reaching Alipay; a signature that does
// not verify is the configured key's. In Chinese the advice is written as
// Chinese counter software writes it: a full-width colon after the order
// number, and short sentences, none nested in parentheses in another.
func TestReconciliationAdviceFollowsTheReason(t *testing.T) {
	const no = "KT1_20261202093000000_AAAAAA"
	nested := regexp.MustCompile(`（[^（）]*[。.][^（）]*）|\([^()]*\. [^()]*\)`)
	for _, tt := range []struct {
		kind   pos.Kind
		en, zh string
	}{
		{pos.KindTimeout, "reconcile again once Alipay can be reached", "能连上支付宝后重新对账"},
		{pos.KindTransport, "reconcile again once Alipay can be reached", "能连上支付宝后重新对账"},
		{pos.KindBadSignature, "check that alipay_public_key in the config is Alipay's public key for this app", "检查配置中的 alipay_public_key 是否为此应用的支付宝公钥"},
		{pos.KindUnsigned, "reconcile again later; if it keeps happening, kiosk doctor checks the gateway settings", "稍后重新对账；如果反复出现，用 kiosk doctor 检查网关设置"},
		{pos.KindAlipayRefused, "do what Alipay's refusal above asks", "按支付宝给出的原因处理"},
		{pos.KindAlipayBusy, "reconcile again later", "稍后重新对账"},
	} {
		rec := pos.Reconciliation{Date: "2026-12-02", Sales: 1, Refunds: pos.RefundsFromQueries, Differences: []pos.Difference{},
			Bill: pos.BillCheck{Failed: errors.New("alipay: response signature does not verify")},
			Unqueried: []pos.Difference{{OutTradeNo: no, Ledger: pos.StatusPaid, LedgerFen: 123,
				Alipay: pos.AlipayNotAsked, Issue: pos.IssueNotAsked, Cause: pos.Problem{Kind: tt.kind}}}}
		for _, lang := range []struct {
			say        *words.Words
			line, said string
		}{{words.English, "\n  " + no + ": " + tt.en, "reached"}, {words.Chinese, "\n  " + no + "：" + tt.zh, "能连上"}} {
			Speak(lang.say)
			var out bytes.Buffer
			err := Reconciliation(&out, rec, "table", TheLedger)
			Speak(words.English)
			switch s := out.String(); {
			case err == nil || strings.Contains(err.Error(), lang.said) || strings.Contains(err.Error(), "later") || strings.Contains(err.Error(), "稍后"):
				t.Errorf("%s, %s: the error advises waiting or reaching Alipay: %v", tt.kind, lang.say.Lang.Tag, err)
			case !strings.Contains(s, lang.line):
				t.Errorf("%s, %s: no %q in:\n%s", tt.kind, lang.say.Lang.Tag, lang.line, s)
			case tt.kind != pos.KindTimeout && tt.kind != pos.KindTransport && strings.Contains(s[strings.Index(s, lang.line):], lang.said):
				t.Errorf("%s, %s: advice about reaching Alipay:\n%s", tt.kind, lang.say.Lang.Tag, s)
			case nested.MatchString(s):
				t.Errorf("%s, %s: a sentence nested in another: %q in:\n%s", tt.kind, lang.say.Lang.Tag, nested.FindString(s), s)
			case lang.say == words.Chinese && strings.Contains(s, no+": "):
				t.Errorf("an ASCII colon in Chinese:\n%s", s)
			}
		}
	}
}
