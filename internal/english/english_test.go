package english

import (
	"slices"
	"testing"
)

func TestWordsFindsEnglishOutsideFacts(t *testing.T) {
	for s, want := range map[string][]string{
		"app_private_key /etc/kiosk/key.pem：RSA 密钥只有 1024 位，支付宝 RSA2 至少需要 2048 位": nil,
		"请运行 openssl pkey -in KEY -out PLAIN，然后 kiosk keys gen --dir DIR":         {"keys", "gen"},
		"支付宝拒绝了请求（ACQ.TRADE_NOT_EXIST）：https://openapi.alipay.com/gateway.do":     nil,
		"已收款，paid, receipt 0001": {"paid", "receipt"},
		"the customer's card":    {"the", "customer's", "card"},
		"无法连接支付宝。（系统原因：\"server gave HTTP response to HTTPS client\"）": nil,
		"系统原因：“strange failure”，请重试 again":                             {"again"},
	} {
		if got := Words(s); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", s, got, want)
		}
	}
	if got := Words("kiosk keys gen", "keys", "gen"); got != nil {
		t.Errorf("allowed words found: %q", got)
	}
}
