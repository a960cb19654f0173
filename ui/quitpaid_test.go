package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// driveQuit is drive, and whether any command on the way asked the
// program to quit.
func driveQuit(t *testing.T, m tea.Model, msgs ...tea.Msg) (Model, bool) {
	t.Helper()
	quit := false
	var run func(m tea.Model, cmd tea.Cmd) tea.Model
	run = func(m tea.Model, cmd tea.Cmd) tea.Model {
		if cmd == nil {
			return m
		}
		switch msg := cmd().(type) {
		case nil:
			return m
		case tea.QuitMsg:
			quit = true
			return m
		case tea.BatchMsg:
			for _, c := range msg {
				m = run(m, c)
			}
			return m
		default:
			m, next := m.Update(msg)
			return run(m, next)
		}
	}
	for _, msg := range msgs {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		m = run(m, cmd)
	}
	return m.(Model), quit
}

// TestPaymentWinsOverTheQuitQuestion: a customer who pays while the
// cashier's Ctrl+C question (cancel and quit?) is open, or while the
// cancel it asked for is under way, gets the receipt on screen and on
// paper, and the kiosk stays up with the question withdrawn; the cashier
// quits afterwards if they still want to.
func TestPaymentWinsOverTheQuitQuestion(t *testing.T) {
	receipt := func(m Model) pos.Receipt {
		r := printedReceipt
		r.OutTradeNo, r.AmountFen, r.ReceiptNo = m.sale.sale.OutTradeNo, m.sale.sale.AmountFen, 3
		return r
	}
	for name, pay := range map[string]func(f *fakeCheckout, m Model) []tea.Msg{
		"poll": func(_ *fakeCheckout, m Model) []tea.Msg {
			return msgs(polledMsg{id: m.sale.sale.OutTradeNo, chain: offSchedule, result: pos.PollResult{Progress: pos.Paid, Receipt: receipt(m)}})
		},
		"notification": func(_ *fakeCheckout, m Model) []tea.Msg {
			return msgs(notifiedMsg{notice: pos.Notice{OutTradeNo: m.sale.sale.OutTradeNo, Paid: true, Receipt: receipt(m)}})
		},
		"cancel finds it paid": func(f *fakeCheckout, m Model) []tea.Msg {
			f.CancelFn = func(pos.Sale, pos.Reason) (pos.Outcome, error) {
				return pos.Outcome{Status: pos.StatusPaid, Receipt: receipt(m)}, nil
			}
			return mkeys("y")
		},
	} {
		t.Run(name, func(t *testing.T) {
			var jobs [][]byte
			f := newFakeCheckout()
			m := New(f, Options{ShopName: "Corner Shop", Location: shanghai, After: f.after, Words: words.Chinese, Printer: recordingPrinter{jobs: &jobs}})
			m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, recoveredMsg{})
			m = drive(t, m, append(typed("2.22"), press("enter"), press("ctrl+c"))...)
			screenHas(t, m, "取消本次收款并退出？")
			m, quit := driveQuit(t, m, pay(f, m)...)
			if quit {
				t.Fatalf("the kiosk quit by itself when the customer paid:\n%s", screen(m))
			}
			if m.state != stateReceipt || m.quitting || m.sale.confirming {
				t.Fatalf("state %d, quitting %v, asking %v: want the receipt, the question withdrawn", m.state, m.quitting, m.sale.confirming)
			}
			screenHas(t, m, "✔ 收款成功", "0003", "小票已打印。")
			if s := screen(m); strings.Contains(s, "取消本次收款并退出") {
				t.Errorf("the quit question is still on screen:\n%s", s)
			}
			if len(jobs) != 1 || !strings.Contains(printedText(jobs)[0], "0003") {
				t.Errorf("printed %q, want the receipt 0003 once", printedText(jobs))
			}
			// Ctrl+C now quits, the receipt printed.
			if _, quit = driveQuit(t, m, press("ctrl+c")); !quit {
				t.Error("Ctrl+C on the receipt did not quit")
			}
		})
	}
}

// TestPaymentWinsOverTheQuitQuestionInTheProgram: the same in the real
// program: after the payment the kiosk is still there, and takes the next
// sale.
func TestPaymentWinsOverTheQuitQuestionInTheProgram(t *testing.T) {
	f := newFakeCheckout()
	paid := polledMsg{id: testSale(0, "").OutTradeNo, chain: offSchedule, result: pos.PollResult{Progress: pos.Paid,
		Receipt: pos.Receipt{ReceiptNo: 3, OutTradeNo: testSale(0, "").OutTradeNo, AmountFen: 222, TradeNo: testTradeNo}}}
	m := runSteps(t, f,
		step{"Scan with Alipay", typedKeys("2.22")},
		step{"Cancel this sale and quit?", msgs(press("ctrl+c"))},
		step{"PAID", msgs(paid)},
		step{"Amount (yuan)", msgs(press("5"))})
	if m.state != stateEntry || m.entry.amount.Value() != "5" {
		t.Errorf("state %d, amount %q: want the next sale's amount typed", m.state, m.entry.amount.Value())
	}
}
