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
