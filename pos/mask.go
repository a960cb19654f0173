package pos

import "strings"

// MaskAccount hides all but the edges of a buyer's account, so that no full
// account ever reaches the screen, a receipt or the ledger. Alipay usually
// masks buyer_logon_id itself; this is the belt to its braces.
func MaskAccount(account string) string {
	if account == "" || strings.Contains(account, "*") {
		return account
	}
	runes := []rune(account)
	if at := strings.IndexRune(account, '@'); at > 0 {
		name := []rune(account[:at])
		return maskRunes(name, min(3, len(name)/2), 0) + account[at:]
	}
	return maskRunes(runes, min(3, len(runes)/3), min(2, len(runes)/4))
}

func maskRunes(r []rune, keepHead, keepTail int) string {
	return string(r[:keepHead]) + strings.Repeat("*", len(r)-keepHead-keepTail) + string(r[len(r)-keepTail:])
}
