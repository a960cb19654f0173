package main

import (
	"strings"
	"testing"

	"kiosk/alipay/emulator"
)

// TestAPIProtocolFlagIsNamed: "kiosk api --protocol" overrides the
// config's protocol (callAPI), so a protocol it refuses is said as the
// flag's, not as the config file's line or the KIOSK_PROTOCOL variable
// that the flag overrode.
func TestAPIProtocolFlagIsNamed(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	inLocale(t, "C", "", "")
	path := originFile(t, dir, "kiosk.toml", "protocol", `"v3"`, []string{`app_id = "2021000000000001"`, `gateway = "sandbox"`,
		`app_private_key = "app_private_key.pem"`, `alipay_public_key = "alipay_public_key.pem"`})
	for _, env := range []string{"", "v2"} {
		if env != "" {
			t.Setenv("KIOSK_PROTOCOL", env)
		}
		err := dispatch([]string{"api", "query", "--config", path, "--out-trade-no", "X1", "--protocol", "v4"})
		if err == nil {
			t.Fatal("--protocol v4 was taken")
		}
		msg := err.Error()
		if strings.Contains(msg, "line 7") || strings.Contains(msg, "KIOSK_PROTOCOL") || !strings.Contains(msg, "--protocol") {
			t.Errorf("KIOSK_PROTOCOL=%q, --protocol v4: %q; want the refusal to name the --protocol flag, not the file's line 7 or KIOSK_PROTOCOL", env, msg)
		}
	}
}
