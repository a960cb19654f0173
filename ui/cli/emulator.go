package cli

import (
	"fmt"
	"io"
	"strings"

	"kiosk/ui/words"
)

// ServeBanner says where a standalone emulator listens, where its keys are
// and how to point a kiosk at it and pay a sale.
func ServeBanner(w io.Writer, baseURL, keyDir, cfgPath string, created bool) {
	e := &say.Emulator
	keys := e.KeysLoaded.F(keyDir, cfgPath)
	if created {
		keys = e.KeysCreated.F(keyDir, cfgPath)
	}
	fmt.Fprintln(w, e.ListensOn.F(baseURL, baseURL+"/gateway.do"))
	fmt.Fprintln(w, keys)
	fmt.Fprintln(w, e.Trades.F(baseURL+"/", strings.TrimPrefix(baseURL, "http://")))
	fmt.Fprintln(w, e.StopHint)
}

// ServeLog says in what zone the lines of the log below are, and where
// the JSON log goes if a file was named.
func ServeLog(w io.Writer, zone, file string) {
	fmt.Fprintln(w, say.Emulator.LogZone.F(zone))
	if file != "" {
		fmt.Fprintln(w, say.Emulator.LogFile.F(file))
	}
}

// ServeStopped says the standalone emulator stopped and, when state names
// its file (--state), where its trades are kept; a blank line parts it
// from the calls above, and from the ^C the terminal echoes.
func ServeStopped(w io.Writer, state string) {
	line := say.Emulator.Stopped
	if state != "" {
		line = say.Emulator.StoppedKept.F(state)
	}
	fmt.Fprintln(w, "\n"+line)
}

// PaidAmount says the emulated customer paid the sale, and how much, as
// the emulator answered.
func PaidAmount(w io.Writer, fen int64, outTradeNo string) {
	fmt.Fprintln(w, say.Emulator.PaidAmount.F(words.Yuan(fen).String(), outTradeNo))
}
