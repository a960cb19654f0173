package cli

import (
	"fmt"
	"io"
	"strings"
)

// ServeBanner says where a standalone emulator listens, where its keys are
// and how to point a kiosk at it and pay a sale.
func ServeBanner(w io.Writer, baseURL, keyDir, cfgPath string, created bool) {
	verb := "loaded from"
	if created {
		verb = "created in"
	}
	fmt.Fprintf(w, "Alipay gateway emulator on %s (gateway %s/gateway.do)\n", baseURL, baseURL)
	fmt.Fprintf(w, "Keys %s %s. Point a kiosk at it with:\n\n    kiosk --config %s\n\n", verb, keyDir, cfgPath)
	fmt.Fprintf(w, "Trades: %s/   Pay a sale: kiosk emulator pay --addr %s OUT_TRADE_NO\n", baseURL, strings.TrimPrefix(baseURL, "http://"))
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}

// Paid says the emulated customer paid the sale.
func Paid(w io.Writer, outTradeNo string) {
	fmt.Fprintf(w, "paid %s\n", outTradeNo)
}
