package pos

import "time"

// shanghai is the shop's zone in the tests. Only the tests load it here:
// the kiosk's code takes its zone from the configuration and the ledger,
// and Alipay's from alipay.Location.
var shanghai = mustLoadLocation("Asia/Shanghai")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // tzdata is embedded, so this cannot happen
	}
	return loc
}
