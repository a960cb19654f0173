package main

import (
	"errors"
	"slices"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
)

// TestBuyerCodeKindsAreTheEmulators: pos names the emulator's kinds of
// payment code, every one of them, by the emulator's own words.
func TestBuyerCodeKindsAreTheEmulators(t *testing.T) {
	var names []string
	for _, k := range emulator.BuyerCodeKinds() {
		names = append(names, string(k))
	}
	var ours []string
	for _, k := range pos.BuyerCodeKinds() {
		ours = append(ours, string(k))
	}
	if !slices.Equal(ours, names) {
		t.Errorf("pos's kinds %v, the emulator's %v", ours, names)
	}
}

// TestPaymentCodeRoundTripOnTheEmbeddedEmulator: the counter as main wires
// it, on its embedded emulator, charges a code of each kind the emulated
// customer shows (as the scan screen's keys do), over v2 and v3:
// paid at once, paid once confirmed on the phone, and refused for each
// reason, and the ledger agrees with the gateway.
func TestPaymentCodeRoundTripOnTheEmbeddedEmulator(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p alipay.Protocol) {
		dir := t.TempDir()
		c, err := openCounter(mustPlan(t, fileConfig{Protocol: string(p)}), dir)
		if err != nil {
			t.Fatal(err)
		}
		defer c.close()
		reg, ctx := c.register, t.Context()
		scan := func(kind pos.BuyerCodeKind, fen int64) (pos.Charge, error) {
			t.Helper()
			code, err := reg.SimulateBuyerCode(kind)
			if err != nil {
				t.Fatal(err)
			}
			return reg.ScanPay(ctx, fen, "", code)
		}

		ch, err := scan(pos.BuyerCodePay, 1200)
		if err != nil || ch.Stage != pos.ChargePaid || ch.Receipt.ReceiptNo != 1 {
			t.Errorf("a code that pays: %+v, %v", ch, err)
		}

		ch, err = scan(pos.BuyerCodeConfirm, 3400)
		if err != nil || ch.Stage != pos.ChargeWaiting {
			t.Fatalf("a code to confirm: %+v, %v", ch, err)
		}
		if res, err := reg.Poll(ctx, ch.Sale); err != nil || res.Progress != pos.AwaitingConfirmation {
			t.Errorf("poll before the customer confirms: %+v, %v", res, err)
		}
		if err := reg.SimulatePayment(ch.Sale); err != nil { // the customer confirms on the phone
			t.Fatal(err)
		}
		if res, err := reg.Poll(ctx, ch.Sale); err != nil || res.Progress != pos.Paid || res.Receipt.ReceiptNo != 2 {
			t.Errorf("poll once confirmed: %+v, %v", res, err)
		}

		for kind, reason := range map[pos.BuyerCodeKind]pos.RefusalReason{
			pos.BuyerCodeInsufficient: pos.RefusedBalance, pos.BuyerCodeExpired: pos.RefusedCodeInvalid, pos.BuyerCodeRisk: pos.RefusedRisk,
		} {
			_, err := scan(kind, 500)
			var re *pos.PaymentRefusedError
			if !errors.As(err, &re) || re.Reason != reason || re.SubMsg == "" {
				t.Errorf("a code of kind %s: %v, want refused with reason %d and Alipay's message", kind, err, reason)
			}
		}

		// A code is charged once: the same digits again are refused.
		code, _ := reg.SimulateBuyerCode(pos.BuyerCodePay)
		if _, err := reg.ScanPay(ctx, 100, "", code); err != nil {
			t.Fatal(err)
		}
		var re *pos.PaymentRefusedError
		if _, err := reg.ScanPay(ctx, 100, "", code); !errors.As(err, &re) || re.Reason != pos.RefusedCodeInvalid {
			t.Errorf("the same code twice: %v, want refused as used", err)
		}

		sales := salesOfToday(t, c.ledger)
		for _, s := range sales {
			if s.Method != store.PayByCode {
				t.Errorf("sale %s recorded as paid by %s", s.OutTradeNo, s.Method)
			}
		}
		if len(sales) != 7 {
			t.Errorf("%d sales in the ledger, want 7", len(sales))
		}
		counts := checkAgreement(t, sales, c.server.Trades())
		if counts[store.StatusPaid] != 3 || counts[store.StatusFailed] != 4 {
			t.Errorf("ledger by status %v, want 3 paid and 4 failed", counts)
		}
	})
}

// TestTheCounterRemembersTheWayToPay: the counter as main wires it keeps
// the cashier's choice of the way to pay in its ledger, so that the kiosk
// started again on the directory offers it.
func TestTheCounterRemembersTheWayToPay(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.register.PayMethodChoice(); got != pos.PayByQR {
		t.Errorf("a new kiosk offers %q, want qr", got)
	}
	if err := c.register.ChoosePayMethod(pos.PayByCode); err != nil {
		t.Fatal(err)
	}
	c.close()
	c, err = openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if got := c.register.PayMethodChoice(); got != pos.PayByCode {
		t.Errorf("started again, the kiosk offers %q, want payment_code", got)
	}
}
