package emulator

import (
	"strings"
)

// buyer is a simulated Alipay account that scans and pays.
type buyer struct {
	logonID string // phone number or e-mail, unmasked
	userID  string // 2088… user id
}

// buyers take turns, so that a day's trades do not all show the same
// customer. The numbers and addresses are invented.
var buyers = []buyer{
	{logonID: "15901234588", userID: "2088102177846875"},
	{logonID: "abc.buyer@example.com", userID: "2088102177846876"},
	{logonID: "13800138042", userID: "2088102177846877"},
}

// maskLogonID hides a buyer's logon id the way Alipay's query does:
// "15901234588" -> "159******88", "abc.buyer@example.com" -> "abc***@example.com".
func maskLogonID(id string) string {
	if local, domain, ok := strings.Cut(id, "@"); ok {
		return prefix(local, 3) + "***@" + domain
	}
	if len(id) < 6 {
		return prefix(id, 1) + "***"
	}
	return id[:3] + strings.Repeat("*", len(id)-5) + id[len(id)-2:]
}

// prefix returns at most the first n bytes of s.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
