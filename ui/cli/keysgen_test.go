package cli

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestKeysGenPrintsTheWholeConfigSandboxFirst: the config lines keys gen
// prints begin with app_id (a placeholder to fill in) and the sandbox's
// gateway, saying that production is the default; the meanings after the
// two file names start in one column, in a directory of Chinese
// characters and in both languages.
func TestKeysGenPrintsTheWholeConfigSandboxFirst(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	configLine := regexp.MustCompile(`(?m)^([a-z_]+) += "`)
	for _, c := range []struct {
		say              *words.Words
		private, public  string
		productionIsSaid string
	}{
		{words.English, "the app private key", "the app public key", "with no gateway the kiosk uses production, " + pos.ProductionGatewayURL},
		{words.Chinese, "应用私钥", "应用公钥", "不设置 gateway 时使用正式环境 " + pos.ProductionGatewayURL},
	} {
		Speak(c.say)
		var b bytes.Buffer
		if err := KeysGen(&b, filepath.Join(t.TempDir(), "密钥")); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		var keys []string
		for _, m := range configLine.FindAllStringSubmatch(out, -1) {
			keys = append(keys, m[1])
		}
		if strings.Join(keys, " ") != "app_id gateway app_private_key app_public_key alipay_public_key" {
			t.Errorf("the config lines: %v\n%s", keys, out)
		}
		if !strings.Contains(out, `gateway           = "`+pos.SandboxGatewayURL+`"   # `) || !strings.Contains(out, c.productionIsSaid) ||
			!strings.Contains(out, `app_id            = "…"   # `) {
			t.Errorf("no sandbox gateway, or production not said to be the default:\n%s", out)
		}
		lines := strings.Split(out, "\n")
		if a, b := startOf(lines[1], c.private), startOf(lines[2], c.public); a != b || a < 0 {
			t.Errorf("the meanings start at %d and %d:\n%s", a, b, out)
		}
	}
}

// TestDoctorSaysProductionIsTheDefault: with no gateway set, the line
// after doctor's heading says that this is production, and how to use
// the sandbox; with one set, there is no such line.
func TestDoctorSaysProductionIsTheDefault(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	checks := []pos.Check{{ID: pos.CheckAppKey, Status: pos.StatusPass, Path: "k.pem", Format: "PKCS#8 PEM", Bits: 2048}}
	run := DoctorRun{ConfigPath: "kiosk.toml", Gateway: pos.ProductionGatewayURL, Mode: pos.ModeProduction, Protocol: "v2"}
	for _, c := range []struct {
		say  *words.Words
		want string
	}{
		{words.English, "No gateway is set, so this is Alipay's PRODUCTION gateway (real money); for the sandbox: gateway = \"" + pos.SandboxGatewayURL + "\""},
		{words.Chinese, "未设置 gateway，因此使用的是支付宝正式环境网关（真实资金）；使用沙箱请设置 gateway = \"" + pos.SandboxGatewayURL + "\""},
	} {
		Speak(c.say)
		var b bytes.Buffer
		run.NoGateway = true
		_ = Doctor(&b, run, checks)
		if lines := strings.Split(b.String(), "\n"); strings.TrimSpace(lines[1]) != c.want {
			t.Errorf("no gateway set: line 2 is %q, want %q", lines[1], c.want)
		}
		b.Reset()
		run.NoGateway = false
		_ = Doctor(&b, run, checks)
		if strings.Contains(b.String(), c.want) {
			t.Errorf("a gateway set, and still:\n%s", b.String())
		}
	}
}
