package cli

// The sentences of kiosk doctor, kiosk keys gen and kiosk log, and the
// warning about the retired sandbox, kept together in this one file so
// that they move into the ui/words catalogue in one go. The functions
// that print them are in doctorprint.go, keys.go and log.go.

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"kiosk/pos"
)

// Where Alipay's console takes the app public key (应用公钥) and shows
// Alipay's (支付宝公钥), as Alipay's documentation describes the pages.
const (
	consoleSandbox    = "https://open.alipay.com/develop/sandbox/app"
	consoleProduction = "https://open.alipay.com (控制台)"
)

// keysWritten is what kiosk keys gen says after writing a pair.
func keysWritten(k pos.AppKeys, dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Wrote the app's key pair (RSA %d bits) in %s:\n", k.Bits, dir)
	fmt.Fprintf(&b, "  %s  the app private key (%s, mode 0600): it signs as the shop; it never leaves this machine\n", k.PrivatePath, k.PrivateFormat)
	fmt.Fprintf(&b, "  %s  the app public key\n\n", k.PublicPath)
	b.WriteString("Paste this line, the app public key (应用公钥), into Alipay's console:\n\n")
	fmt.Fprintf(&b, "%s\n\n", k.ConsoleLine)
	fmt.Fprintf(&b, "  Sandbox:    %s → 开发信息 → 接口加签方式: 自定义密钥 → 公钥模式 → 应用公钥\n", consoleSandbox)
	fmt.Fprintf(&b, "  Production: %s → your app → 开发设置 → 开发信息 → 接口加签方式（密钥/证书）→ 设置 → 密钥 → 上传应用公钥\n\n", consoleProduction)
	b.WriteString("The console then shows Alipay's public key (支付宝公钥): save it in a file, say " +
		joinPath(dir, "alipay_public_key.pem") + ", and add to the config:\n\n")
	fmt.Fprintf(&b, "app_private_key   = %q\n", k.PrivatePath)
	fmt.Fprintf(&b, "app_public_key    = %q   # what the console holds; kiosk doctor checks the pair\n", k.PublicPath)
	fmt.Fprintf(&b, "alipay_public_key = %q\n\n", joinPath(dir, "alipay_public_key.pem"))
	b.WriteString("Then check it all: kiosk doctor --config kiosk.toml\n")
	return b.String()
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

// OldSandboxWarning is said at start, and by kiosk doctor, of a config
// that names the retired sandbox.
func OldSandboxWarning(gateway string) string {
	return fmt.Sprintf("gateway %s is Alipay's retired sandbox, which answers every new sandbox app isv.invalid-app-id: use %s (gateway = \"sandbox\")",
		gateway, pos.SandboxGatewayURL)
}

// doctorHeading names what is checked.
func doctorHeading(r DoctorRun) string {
	return fmt.Sprintf("kiosk doctor: %s, gateway %s (%s), OpenAPI %s", r.ConfigPath, r.Gateway, gatewayKind(r.Mode), r.Protocol)
}

// doctorSummary is the last line.
func doctorSummary(problems, skipped int) string {
	switch {
	case problems == 0 && skipped == 0:
		return "All checks passed: the kiosk can sell with this configuration."
	case problems == 0:
		return fmt.Sprintf("No problem found, but %d check(s) could not be made.", skipped)
	case problems == 1:
		return "1 problem to fix; run kiosk doctor again after fixing it."
	}
	return fmt.Sprintf("%d problems to fix; run kiosk doctor again after fixing them.", problems)
}

// doctorFailed is the error kiosk doctor ends with unless all passed.
func doctorFailed(problems, skipped int) string {
	switch {
	case problems == 0:
		return fmt.Sprintf("doctor could not make %d check(s)", skipped)
	case problems == 1:
		return "doctor found 1 problem"
	}
	return fmt.Sprintf("doctor found %d problems", problems)
}

// Status marks at the start of each line.
const (
	markPass = "ok  "
	markFail = "FAIL"
	markSkip = "skip"
)

func gatewayKind(m pos.Mode) string {
	switch m {
	case pos.ModeProduction:
		return "production"
	case pos.ModeSandbox:
		return "sandbox"
	case pos.ModeEmulator:
		return "an emulator on this machine"
	}
	return strings.ToLower(strings.TrimPrefix(string(m), "GATEWAY "))
}

// checkNames are the checks as a skipped line names what it waits for.
var checkNames = map[pos.CheckID]string{
	pos.CheckAppKey:       "app_private_key",
	pos.CheckConsoleKey:   "app_public_key",
	pos.CheckAlipayKey:    "alipay_public_key",
	pos.CheckNotAppKey:    "the Alipay key check",
	pos.CheckPermissions:  "the key's permissions",
	pos.CheckGatewayURL:   "the gateway URL",
	pos.CheckGateway:      "the gateway",
	pos.CheckClock:        "the clock",
	pos.CheckSignedCall:   "the signed call",
	pos.CheckNotification: "notify_url",
}

// skippedLine says why a check was not made.
func skippedLine(c pos.Check) string {
	if c.Problem == pos.ProblemNoDate {
		return "clock: not compared, the gateway's answer carried no Date header"
	}
	return fmt.Sprintf("%s: not checked until %s passes", checkNames[c.ID], checkNames[c.After])
}

// checkLine is one check in one line: what was found and, for a problem,
// what to do.
func checkLine(c pos.Check, r DoctorRun) string {
	switch c.ID {
	case pos.CheckAppKey:
		return appKeyLine(c)
	case pos.CheckConsoleKey:
		return consoleKeyLine(c)
	case pos.CheckAlipayKey:
		return alipayKeyLine(c)
	case pos.CheckNotAppKey:
		if c.Status == pos.StatusPass {
			return "alipay_public_key is Alipay's key, not the app's own"
		}
		return fmt.Sprintf("alipay_public_key %s is the app's own public key, with which no answer of Alipay verifies: "+
			"use Alipay's public key (支付宝公钥), shown beside the app public key (应用公钥) in the console", c.Path)
	case pos.CheckPermissions:
		if c.Status == pos.StatusPass {
			return fmt.Sprintf("app_private_key %s is its owner's alone (mode %04o)", c.Path, c.Mode)
		}
		return fmt.Sprintf("app_private_key %s has mode %04o: other users of this machine can read it and sign payments and refunds as the shop: chmod 600 %s",
			c.Path, c.Mode, c.Path)
	case pos.CheckGatewayURL:
		if c.Problem == pos.ProblemOldSandbox {
			return OldSandboxWarning(c.URL)
		}
		return fmt.Sprintf("gateway %s (%s)", c.URL, gatewayKind(c.GatewayMode))
	case pos.CheckGateway:
		if c.Status == pos.StatusPass {
			return fmt.Sprintf("the gateway answers (HTTP %d in %s)", c.HTTPStatus, c.Elapsed.Round(time.Millisecond))
		}
		return unreachableLine("the gateway", c)
	case pos.CheckClock:
		return clockLine(c)
	case pos.CheckSignedCall:
		return signedCallLine(c)
	case pos.CheckNotification:
		return notifyLine(c, r)
	}
	return fmt.Sprintf("%s: %s %s", c.ID, c.Status, c.Problem)
}

// keyFileLine words the problems a key file can have; what is the setting's
// name, want what belongs there.
func keyFileLine(c pos.Check, what, want string) string {
	switch c.Problem {
	case pos.ProblemNotSet:
		return fmt.Sprintf("%s is not set: %s", what, want)
	case pos.ProblemUnreadable:
		return fmt.Sprintf("%s cannot be read (%v): check the path, which is relative to the config file", what, c.Err)
	case pos.ProblemPublicKeyGiven:
		return fmt.Sprintf("%s %s holds a public key (%s): %s", what, c.Path, c.Format, want)
	case pos.ProblemPrivateKeyGiven:
		return fmt.Sprintf("%s %s holds a private key (%s): %s; a private key is never pasted anywhere", what, c.Path, c.Format, want)
	case pos.ProblemNotRSA:
		return fmt.Sprintf("%s %s is not an RSA key (%s): Alipay's RSA2 takes RSA keys; %s", what, c.Path, c.Format, want)
	case pos.ProblemWeakKey:
		return fmt.Sprintf("%s %s is shorter than the 2048 bits Alipay's RSA2 takes (%v): %s", what, c.Path, c.Err, want)
	case pos.ProblemMalformedKey:
		return fmt.Sprintf("%s %s is neither PEM nor base64 of a key: copy it again whole; %s", what, c.Path, want)
	}
	return fmt.Sprintf("%s %s: %v", what, c.Path, c.Err)
}

func appKeyLine(c pos.Check) string {
	if c.Status == pos.StatusPass {
		return fmt.Sprintf("app_private_key %s is an RSA private key (%s, %d bits)", c.Path, c.Format, c.Bits)
	}
	return keyFileLine(c, "app_private_key",
		"it must be the app private key (应用私钥); kiosk keys gen --dir DIR makes a pair and says what to do with it")
}

func consoleKeyLine(c pos.Check) string {
	switch {
	case c.Status == pos.StatusPass:
		return fmt.Sprintf("app_public_key %s is app_private_key's public half", c.Path)
	case c.Problem == pos.ProblemPairMismatch:
		return fmt.Sprintf("app_public_key %s is not app_private_key's public half, and Alipay will refuse every call (isv.invalid-signature): "+
			"upload app_private_key's public key in the console as the app public key (应用公钥), and point app_public_key at it", c.Path)
	}
	return keyFileLine(c, "app_public_key", "it must be the app public key you pasted in the console (kiosk keys gen writes it as app_public_key.pem)")
}

func alipayKeyLine(c pos.Check) string {
	switch {
	case c.Status == pos.StatusPass && c.Format == "certificates":
		return fmt.Sprintf("the certificates load (app_cert %s), Alipay's key %d bits", c.Path, c.Bits)
	case c.Status == pos.StatusPass:
		return fmt.Sprintf("alipay_public_key %s is an RSA public key (%s, %d bits)", c.Path, c.Format, c.Bits)
	case c.Problem == pos.ProblemCertificates:
		return fmt.Sprintf("the certificate files do not load (%v): download app_cert, alipay_cert and alipay_root_cert again from the console", c.Err)
	case c.Problem == pos.ProblemPairMismatch:
		return fmt.Sprintf("app_cert %s does not hold app_private_key's public key: use the certificate made from this private key's CSR", c.Path)
	}
	return keyFileLine(c, "alipay_public_key",
		"it must be Alipay's public key (支付宝公钥), copied from the console after the app public key is set there")
}

// unreachableLine says why what got no answer, by the cause.
func unreachableLine(what string, c pos.Check) string {
	host := hostOf(c.URL)
	switch c.Cause {
	case pos.CauseDNS:
		return fmt.Sprintf("%s's host %s does not resolve (DNS): check the URL for a typo, and this machine's DNS (/etc/resolv.conf)", what, host)
	case pos.CauseConnectionRefused:
		return fmt.Sprintf("%s at %s refuses connections, nothing listens there: check the URL's host and port", what, host)
	case pos.CauseUnreachable:
		return fmt.Sprintf("%s at %s cannot be reached, no route to it: check the network and the firewall", what, host)
	case pos.CauseTimeout:
		return fmt.Sprintf("%s at %s did not answer in time (after %s): a firewall may drop the traffic, or this network needs a proxy (HTTPS_PROXY)",
			what, host, c.Elapsed.Round(time.Millisecond))
	case pos.CauseTLSCertificate:
		return fmt.Sprintf("%s at %s shows a TLS certificate this machine does not trust (%v): install the CA certificates (apt-get install ca-certificates), "+
			"and check that nothing intercepts HTTPS", what, host, c.Err)
	case pos.CauseTLS:
		return fmt.Sprintf("%s at %s does not speak TLS (%v): check the URL's scheme and port", what, host, c.Err)
	}
	return fmt.Sprintf("%s at %s does not answer (%s: %v)", what, host, c.Cause, c.Err)
}

// hostOf is a URL's host and port, or the URL itself when it does not
// parse.
func hostOf(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		return u.Host
	}
	return rawURL
}

func clockLine(c pos.Check) string {
	if c.Status == pos.StatusPass {
		return fmt.Sprintf("the clock agrees with the gateway's (within %s)", max(abs(c.Skew).Round(time.Second), time.Second))
	}
	side := "ahead of"
	if c.Skew < 0 {
		side = "behind"
	}
	return fmt.Sprintf("this machine's clock is %s %s the gateway's: set it right and keep it so (timedatectl set-ntp true); "+
		"Alipay checks the time of each request, and receipts and the close of the day use it", abs(c.Skew).Round(time.Second), side)
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// alipaySaid is what Alipay answered, for a line that quotes it.
func alipaySaid(c pos.Check) string {
	parts := []string{}
	for _, p := range []string{c.Code, c.SubCode, c.SubMsg} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

func signedCallLine(c pos.Check) string {
	switch c.Problem {
	case "":
		return fmt.Sprintf("a signed alipay.trade.query (%s) of %s came back signed ACQ.TRADE_NOT_EXIST: app_id, keys and gateway agree",
			c.Protocol, c.OutTradeNo)
	case pos.ProblemInvalidAppID:
		return fmt.Sprintf("the gateway does not know app_id %s (%s): copy the APPID of the app whose keys these are from the console", c.AppID, alipaySaid(c))
	case pos.ProblemSandboxAppOnProd:
		return fmt.Sprintf("app_id %s is a sandbox app's (they begin 9021), and the production gateway does not know it (%s): "+
			"set gateway = \"sandbox\" to test, or use the production app's APPID", c.AppID, alipaySaid(c))
	case pos.ProblemProdAppOnSandbox:
		return fmt.Sprintf("app_id %s is not a sandbox app's, and the sandbox knows only its own apps (%s): "+
			"use the sandbox app's APPID (it begins 9021) from %s, or set gateway = \"production\"", c.AppID, alipaySaid(c), consoleSandbox)
	case pos.ProblemRequestSignature:
		return fmt.Sprintf("the gateway could not verify the request's signature (%s): the app public key (应用公钥) in the console is not app_private_key's; "+
			"upload app_private_key's public key there (kiosk keys gen prints it for a pair it makes)", alipaySaid(c))
	case pos.ProblemAnswerSignature:
		return "the answer does not verify with alipay_public_key, which is not Alipay's key for this app: copy Alipay's public key (支付宝公钥) " +
			"again from the console; it changes when the app public key changes"
	case pos.ProblemAnswerUnsigned:
		return "the gateway answered without a signature: it is not Alipay's gateway, or something between rewrote the answer; check gateway"
	case pos.ProblemCertificateSN:
		return "the answer is signed with another Alipay certificate than alipay_cert: download alipay_cert again from the console"
	case pos.ProblemRefused:
		return fmt.Sprintf("Alipay refused the query (%s): %s", alipaySaid(c), refusalAdvice(c))
	case pos.ProblemUnexpectedAnswer:
		if c.HTTPStatus != 0 {
			return fmt.Sprintf("%s answered HTTP %d, not as a gateway does: gateway must be the full URL of gateway.do, as Alipay gives it", c.URL, c.HTTPStatus)
		}
		return fmt.Sprintf("%s did not answer as a gateway does (%v): check gateway", c.URL, c.Err)
	case pos.ProblemUnreachable:
		return unreachableLine("the gateway", c)
	case pos.ProblemNotSet:
		return "app_id is not set: copy the APPID from the console"
	}
	return fmt.Sprintf("the signed call could not be made: %v", c.Err)
}

// refusalAdvice is what to do about a refusal the doctor does not know
// by name.
func refusalAdvice(c pos.Check) string {
	switch {
	case c.Code == "40006" || strings.Contains(c.SubCode, "insufficient"):
		return "the app may not call alipay.trade.query: add 当面付 (face-to-face payment) to the app and sign its contract in the console"
	case strings.Contains(c.SubCode, "timestamp"):
		return "Alipay refuses the request's time: set this machine's clock (timedatectl set-ntp true)"
	}
	return "look the sub_code up in Alipay's error codes for alipay.trade.query"
}

func notifyLine(c pos.Check, r DoctorRun) string {
	switch {
	case c.Status == pos.StatusPass && c.Listened:
		return fmt.Sprintf("notify_url %s leads to notify_addr %s from this machine; Alipay calls it from the internet, so the firewall must let it in",
			c.URL, r.NotifyAddr)
	case c.Status == pos.StatusPass:
		return fmt.Sprintf("notify_url %s reaches a running kiosk's notification port", c.URL)
	case c.Problem == pos.ProblemNotifyNotPublic:
		return fmt.Sprintf("notify_url %s names a host Alipay's servers cannot reach (%s): use the shop's public name or address, forwarded to notify_addr %s",
			c.URL, hostOf(c.URL), r.NotifyAddr)
	case c.Problem == pos.ProblemNotifyElsewhere && c.Listened:
		return fmt.Sprintf("notify_url %s answers (HTTP %d), but not from notify_addr %s: the proxy or port forwarding leads elsewhere",
			c.URL, c.HTTPStatus, r.NotifyAddr)
	case c.Problem == pos.ProblemNotifyElsewhere:
		return fmt.Sprintf("notify_url %s answers (HTTP %d), but not as the kiosk's notification port does; notify_addr %s is taken by something: "+
			"is it this kiosk? the proxy may lead elsewhere", c.URL, c.HTTPStatus, r.NotifyAddr)
	case c.Problem == pos.ProblemUnreachable:
		return unreachableLine("notify_url", c) + fmt.Sprintf("; it must lead to notify_addr %s", r.NotifyAddr)
	}
	return fmt.Sprintf("notify_url %s: %v", c.URL, c.Err)
}
