package pos

import (
	"crypto/rand"
	"strings"
	"time"
)

const maxTerminalIDInTradeNo = 16

// newOutTradeNo builds an out_trade_no that is unique across restarts and
// terminals: terminal id, the shop's wall-clock time to the millisecond
// (so it matches the receipt), and random letters, all within Alipay's 64
// characters of [A-Za-z0-9_].
func newOutTradeNo(terminalID string, now time.Time) string {
	stamp := strings.Replace(now.Format("20060102150405.000"), ".", "", 1)
	return "K" + sanitizeID(terminalID) + "_" + stamp + "_" + randomSuffix(6)
}

// sanitizeID keeps the letters and digits of id, capped in length, so any
// configured terminal name yields a legal order number.
func sanitizeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if b.Len() == maxTerminalIDInTradeNo {
			break
		}
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "T"
	}
	return b.String()
}

const suffixAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randomSuffix(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i, c := range buf {
		buf[i] = suffixAlphabet[int(c)%len(suffixAlphabet)]
	}
	return string(buf)
}
