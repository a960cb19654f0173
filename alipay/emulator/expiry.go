package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"kiosk/alipay"
)

// defaultQRTimeout is how long Alipay keeps an unscanned QR code valid when
// precreate does not say.
const defaultQRTimeout = 2 * time.Hour

// maxQRTimeout is the longest qr_code_timeout_express Alipay accepts.
const maxQRTimeout = 15 * 24 * time.Hour

// qrExpiry returns when a QR code precreated at now stops working, from
// qr_code_timeout_express: "Nm", "Nh" or "Nd" (1 minute to 15 days), or
// "1c", the coming midnight in Beijing time. Empty means two hours.
func qrExpiry(express string, now time.Time) (time.Time, error) {
	if express == "" {
		return now.Add(defaultQRTimeout), nil
	}
	if express == "1c" {
		y, m, d := now.In(alipay.Location()).Date()
		return time.Date(y, m, d+1, 0, 0, 0, 0, alipay.Location()), nil
	}
	units := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}
	unit, ok := units[express[len(express)-1]]
	n, err := strconv.Atoi(express[:len(express)-1])
	switch {
	case !ok || err != nil || n < 1 || express[0] == '+':
		return time.Time{}, fmt.Errorf("%q is not Nm, Nh, Nd or 1c", express)
	case time.Duration(n) > maxQRTimeout/unit:
		return time.Time{}, errors.New("longer than 15d")
	}
	return now.Add(time.Duration(n) * unit), nil
}
