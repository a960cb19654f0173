package alipay

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on hosts without a zoneinfo database
)

// TimeLayout is the layout of every Alipay wire timestamp (timestamp,
// send_pay_date, gmt_payment, ...), always Beijing wall-clock time.
const TimeLayout = "2006-01-02 15:04:05"

// shanghai is loaded once, when first asked for: the commands that never
// talk to Alipay (kiosk ledger) do not read it. With tzdata embedded the
// lookup cannot fail in practice; the fixed +08:00 fallback is exact
// anyway (no DST since 1991).
var shanghai = sync.OnceValue(loadShanghai)

func loadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Location returns Asia/Shanghai, the zone Alipay reads and writes
// timestamps in.
func Location() *time.Location { return shanghai() }

// FormatTime writes t as Beijing wall-clock time in TimeLayout, whatever
// t's own location is.
func FormatTime(t time.Time) string { return t.In(shanghai()).Format(TimeLayout) }

// ParseTime reads a TimeLayout timestamp as Beijing wall-clock time.
func ParseTime(s string) (time.Time, error) {
	return time.ParseInLocation(TimeLayout, s, shanghai())
}

// wireTime reads an optional timestamp of a verified response; absent is
// the zero time.
func wireTime(method, field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s: %s: %v", ErrUnexpectedResponse, method, field, err)
	}
	return t, nil
}
