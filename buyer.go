package main

import (
	"kiosk/alipay/emulator"
	"kiosk/pos"
)

// emulatedBuyer is the embedded emulator's customer as pos plays it: the
// emulator's own kinds of payment code under pos's names, which are the
// same words.
type emulatedBuyer struct{ emu *emulator.Emulator }

// Pay pays a QR sale, or confirms a payment-code charge on the phone.
func (b emulatedBuyer) Pay(outTradeNo string) error { return b.emu.Pay(outTradeNo) }

// IssueBuyerCode opens a payment code of kind in the customer's app.
func (b emulatedBuyer) IssueBuyerCode(kind pos.BuyerCodeKind) (string, error) {
	return b.emu.IssueBuyerCode(emulator.BuyerCodeKind(kind))
}
