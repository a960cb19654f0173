package ui

import (
	"testing"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// maxModelSize bounds the root model. Bubble Tea's Update returns it in a
// tea.Model, which copies it to the heap at every message, each key press
// and each notification, so all it holds by value is paid again and
// again: one text field (8 KB) held by value would make every message
// copy seven times what it copies now (1.3 KB), and the model once held
// 92 KB. What is built once (the keys, the styles) and each screen's
// heavy state (the amount's fields, the scan screen, the manager's
// screens) sit behind pointers instead.
const maxModelSize = 4 << 10

func TestTheRootModelIsCheapToCopy(t *testing.T) {
	if size := unsafe.Sizeof(Model{}); size > maxModelSize {
		t.Errorf("ui.Model is %d bytes, more than %d: each message copies it", size, maxModelSize)
	}
}

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
	typedIn := drive(t, old, append(append(amount("3"), mkey("tab")), typed("Wang")...)...)
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

// TestAnOldCopyKeepsItsSaleScreen: the amount's fields sit behind a
// pointer; typing into a later copy, and its refusal of the amount, leave
// an older copy as it was.
func TestAnOldCopyKeepsItsSaleScreen(t *testing.T) {
	old := drive(t, ready(t, newFakeCheckout()), typed("12")...)
	before := screen(old)
	later := drive(t, old, append(typed("x4"), press("enter"))...)
	mustShow(t, later, "│ 12x4", `"12x4" is not an amount`)
	if s := screen(old); s != before {
		t.Errorf("typing into a later copy changed the old copy's sale screen:\n%s\nwant\n%s", s, before)
	}
	if v := drive(t, old, typed("5")...).entry.amount.Value(); v != "125" {
		t.Errorf("the old copy, typed 5: amount %q, want 125", v)
	}
	if v := later.entry.amount.Value(); v != "12x4" {
		t.Errorf("the later copy: amount %q after the old one was typed into, want 12x4", v)
	}
}

// TestAnOldCopyKeepsItsScanScreen: the scan screen sits behind a
// pointer; a later copy's refusal of the code typed (which clears the
// field) and its typing leave an older copy's screen as it was.
func TestAnOldCopyKeepsItsScanScreen(t *testing.T) {
	f := newFakeCheckout()
	f.method = pos.PayByCode
	old := drive(t, ready(t, f), append(typed("12.34"), press("enter"))...)
	if old.state != stateScanning {
		t.Fatalf("enter with the payment code chosen: state %d, want the scan screen", old.state)
	}
	old = drive(t, old, typed("28")...)
	before := screen(old)
	later := drive(t, old, press("enter"))
	if later.state != stateScanning || later.scan.err == "" || later.scan.code.Value() != "" {
		t.Fatalf("a short code: state %d, error %q, field %q; want it refused and the field cleared",
			later.state, later.scan.err, later.scan.code.Value())
	}
	if s := screen(old); s != before {
		t.Errorf("a later copy's refused code changed the old copy's scan screen:\n%s\nwant\n%s", s, before)
	}
	if v := drive(t, old, typed("7")...).scan.code.Value(); v != "287" || screen(old) != before {
		t.Errorf("a later copy, typed 7: code %q, want 287, and the old copy's screen unchanged:\n%s", v, screen(old))
	}
	if v := drive(t, old, typed("1")...).scan.code.Value(); v != "281" {
		t.Errorf("the old copy, typed 1: code %q, want 281", v)
	}
}
