package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// BenchmarkSaleMessages is the root model's share of one QR sale: the
// Updates of its messages, as the program makes them, on a real Model
// with a fake checkout and no printer. One op is one sale: the amount
// typed, enter, the sale started (its QR code drawn), the notification
// that it is paid (the receipt), and the key that leaves the receipt for
// the next sale. The commands are not run, nor the views drawn: it
// measures what each message costs the model, which the program pays on
// every key press and every notification.
func BenchmarkSaleMessages(b *testing.B) {
	f := newFakeCheckout()
	sale := testSale(100, f.cfg.Subject)
	msgs := append(typed("1.00"),
		press("enter"),
		startedMsg{sale: sale},
		notifiedMsg{notice: pos.Notice{OutTradeNo: sale.OutTradeNo, Paid: true, Receipt: testReceipt(sale)}},
		press("esc"))
	var m tea.Model = New(f, Options{ShopName: "Corner Shop", Location: time.UTC, After: f.after})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 32})
	m, _ = m.Update(recoveredMsg{})
	b.ReportAllocs()
	for b.Loop() {
		for _, msg := range msgs {
			m, _ = m.Update(msg)
		}
	}
	if got := m.(Model); got.state != stateEntry || got.receipt.OutTradeNo != sale.OutTradeNo {
		b.Fatalf("the sale did not reach its receipt and the next sale: state %d, receipt %q", got.state, got.receipt.OutTradeNo)
	}
}

// TestAnOldCopyKeepsItsManagerScreens: the model is a value, though the
// manager's screens sit behind a pointer: an Update of a copy never
// changes what an older copy holds or shows. The tests keep old copies,
// and a write through the shared pointer would change both.
func TestAnOldCopyKeepsItsManagerScreens(t *testing.T) {
	f := managerCheckout()
	old := inRefund(t, f)
	before := screen(old)
	typedIn := drive(t, old, append(amount("3"), mkey("tab"), press("W"), press("a"), press("n"), press("g"))...)
	mustShow(t, typedIn, "│ 3", "│ Wang")
	if s := screen(old); s != before {
		t.Errorf("typing into a later copy's refund form changed the old copy's:\n%s\nwant\n%s", s, before)
	}
	// The old copy goes on from where it was, as if the later one had
	// never been.
	other := drive(t, old, amount("2")...)
	if v := other.manager.refund.fields[fieldAmount].Value(); v != "2" {
		t.Errorf("the old copy, typed 2: amount %q, want 2", v)
	}
	if v := typedIn.manager.refund.fields[fieldAmount].Value(); v != "3" {
		t.Errorf("the later copy: amount %q after the old one was typed into, want 3", v)
	}

	// Leaving the manager's screens leaves an older copy on them.
	inLedgerCopy := drive(t, old, mkey("esc"), mkey("esc"))
	back := drive(t, inLedgerCopy, mkey("esc"))
	if back.state != stateEntry || old.state != stateManager || screen(old) != before {
		t.Errorf("esc to the sale screen: state %d, old copy's state %d, want %d and %d", back.state, old.state, stateEntry, stateManager)
	}
}

// TestAPrintRecordedLeavesAnOldCopysDetailAlone: a receipt that did not
// print marks the sale on the detail screen of the copy it reaches, and
// only that copy.
func TestAPrintRecordedLeavesAnOldCopysDetailAlone(t *testing.T) {
	old := inDetail(t, managerCheckout())
	job := printJob{kind: printReceipt, key: testOrder, receiptNo: 2}
	next := drive(t, old, printedMsg{job: job, err: outOfPaper.err})
	if !next.manager.detail.sale.ReceiptUnprinted {
		t.Fatalf("the receipt that did not print is not marked on the detail")
	}
	if old.manager.detail.sale.ReceiptUnprinted {
		t.Errorf("the print recorded in a later copy marked the old copy's detail too")
	}
}
