package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// TestEveryProblemSaysItsFix: each problem the doctor finds is one line
// that names what is wrong and what to do, not a generic complaint.
func TestEveryProblemSaysItsFix(t *testing.T) {
	run := doctorRunOfProblems
	for _, tt := range doctorProblems() {
		line := checkLine(tt.check, run)
		if strings.Contains(line, "\n") {
			t.Errorf("%s %s: more than one line: %q", tt.check.ID, tt.check.Problem, line)
		}
		for _, s := range tt.says {
			if !strings.Contains(line, s) {
				t.Errorf("%s %s: %q does not say %q", tt.check.ID, tt.check.Problem, line, s)
			}
		}
	}
}

var doctorRunOfProblems = DoctorRun{NotifyAddr: "0.0.0.0:8443"}

type doctorProblem struct {
	check pos.Check
	says  []string
}

// doctorProblems are a check of each problem the doctor finds, and what
// its English line must say.
func doctorProblems() []doctorProblem {
	fail := func(id pos.CheckID, p pos.Finding) pos.Check {
		return pos.Check{ID: id, Status: pos.StatusFail, Problem: p, Path: "/etc/kiosk/key.pem", URL: "https://openapi.alipay.com/gateway.do",
			AppID: "9021000000000042", Err: errors.New("the cause")}
	}
	with := func(c pos.Check, f func(*pos.Check)) pos.Check { f(&c); return c }
	key := func(k pos.KeyFault) pos.Check {
		c := fail(pos.CheckAppKey, k.Finding)
		c.Key, c.Format, c.Bits = k, k.Format, k.Bits
		return c
	}
	return []doctorProblem{
		{fail(pos.CheckAppKey, pos.ProblemNotSet), []string{"app_private_key is not set", "kiosk keys gen"}},
		{fail(pos.CheckAppKey, pos.ProblemPublicKeyGiven), []string{"holds a public key", "应用私钥"}},
		{key(pos.KeyFault{Finding: pos.ProblemWeakKey, Bits: 1024, MinBits: 2048}), []string{"1024 bits", "2048", "/etc/kiosk/key.pem"}},
		{key(pos.KeyFault{Finding: pos.ProblemMalformedKey, Malformed: pos.MalformedNotEncoded}), []string{"neither PEM nor base64"}},
		{key(pos.KeyFault{Finding: pos.ProblemMalformedKey, Malformed: pos.MalformedEncrypted}), []string{"encrypted", "openssl pkey"}},
		{key(pos.KeyFault{Finding: pos.ProblemMalformedKey, Malformed: pos.MalformedNoPrivateKey, Encoding: "PEM"}), []string{"PEM data", "PKCS#8"}},
		{key(pos.KeyFault{Finding: pos.ProblemNotRSA, Format: "SEC 1 EC PEM", Algorithm: "EC"}), []string{"not an RSA key", "SEC 1 EC PEM"}},
		{key(pos.KeyFault{Finding: pos.ProblemUnreadable, Err: errors.New("the cause")}), []string{"cannot be read", "the cause", "relative to the config file"}},
		{key(pos.KeyFault{Finding: pos.ProblemUnreadable, Read: pos.ReadMissing}), []string{"/etc/kiosk/key.pem cannot be read", "does not exist"}},
		{fail(pos.CheckConsoleKey, pos.ProblemPairMismatch), []string{"not app_private_key's public half", "isv.invalid-signature", "应用公钥"}},
		{fail(pos.CheckAlipayKey, pos.ProblemPrivateKeyGiven), []string{"holds a private key", "支付宝公钥", "never pasted"}},
		{with(fail(pos.CheckAlipayKey, pos.ProblemCertificates), func(c *pos.Check) { c.Cert = pos.CertFault{File: "alipay_root_cert", Problem: pos.CertNoRSARoot} }),
			[]string{"alipay_root_cert holds no RSA-signed root certificate", "download app_cert, alipay_cert and alipay_root_cert"}},
		{with(fail(pos.CheckAlipayKey, pos.ProblemCertificates), func(c *pos.Check) {
			c.Cert = pos.CertFault{File: "alipay_cert", Problem: pos.CertWeak, Bits: 1024, MinBits: 2048}
		}), []string{"alipay_cert holds an RSA key of 1024 bits", "2048"}},
		{fail(pos.CheckNotAppKey, pos.ProblemAlipayKeyIsAppKey), []string{"the app's own public key", "支付宝公钥"}},
		{with(fail(pos.CheckPermissions, pos.ProblemLoosePermissions), func(c *pos.Check) { c.Mode = 0o644 }), []string{"mode 0644", "chmod 600 /etc/kiosk/key.pem"}},
		{with(fail(pos.CheckGatewayURL, pos.ProblemOldSandbox), func(c *pos.Check) { c.URL = "https://openapi.alipaydev.com/gateway.do" }),
			[]string{"retired sandbox", "https://openapi-sandbox.dl.alipaydev.com/gateway.do"}},
		{with(fail(pos.CheckGateway, pos.ProblemUnreachable), func(c *pos.Check) { c.Cause = pos.CauseDNS }), []string{"openapi.alipay.com does not resolve (DNS)"}},
		{with(fail(pos.CheckGateway, pos.ProblemUnreachable), func(c *pos.Check) { c.Cause = pos.CauseConnectionRefused }), []string{"refuses connections"}},
		{with(fail(pos.CheckGateway, pos.ProblemUnreachable), func(c *pos.Check) { c.Cause = pos.CauseTimeout }), []string{"did not answer in time", "proxy"}},
		{with(fail(pos.CheckGateway, pos.ProblemUnreachable), func(c *pos.Check) { c.Cause = pos.CauseTLSCertificate }), []string{"does not trust", "ca-certificates"}},
		{with(fail(pos.CheckClock, pos.ProblemClockSkew), func(c *pos.Check) { c.Skew = -10 * time.Minute }), []string{"10 minutes behind", "timedatectl set-ntp true"}},
		{fail(pos.CheckSignedCall, pos.ProblemInvalidAppID), []string{"does not know app_id 9021000000000042", "APPID"}},
		{fail(pos.CheckSignedCall, pos.ProblemSandboxAppOnProd), []string{"sandbox app's", `gateway = "sandbox"`}},
		{fail(pos.CheckSignedCall, pos.ProblemProdAppOnSandbox), []string{"9021", `gateway = "production"`}},
		{fail(pos.CheckSignedCall, pos.ProblemRequestSignature), []string{"could not verify the request's signature", "应用公钥"}},
		{with(fail(pos.CheckSignedCall, pos.ProblemAnswerSignature), func(c *pos.Check) { c.KeySetting, c.GatewayMode = "alipay_public_key", pos.ModeProduction }),
			[]string{"does not verify with alipay_public_key /etc/kiosk/key.pem", "not Alipay's public key for app 9021000000000042", "altered on its way", "支付宝公钥", "proxy"}},
		{with(fail(pos.CheckSignedCall, pos.ProblemAnswerSignature), func(c *pos.Check) { c.KeySetting, c.GatewayMode = "alipay_public_key", pos.ModeEmulator }),
			[]string{"the emulator's answer does not verify with alipay_public_key /etc/kiosk/key.pem", "altered on its way", "badsig", "alipay_public_key.pem in the emulator's --keys directory"}},
		{with(fail(pos.CheckSignedCall, pos.ProblemRefused), func(c *pos.Check) { c.Code, c.SubCode = "40006", "isv.insufficient-isv-permissions" }),
			[]string{"40006 isv.insufficient-isv-permissions", "当面付"}},
		{with(fail(pos.CheckSignedCall, pos.ProblemRefused), func(c *pos.Check) { c.Code, c.SubCode, c.SubMsg = "40004", "ACQ.SOMETHING_NEW", "新的原因" }),
			[]string{`40004 ACQ.SOMETHING_NEW "新的原因"`}},
		{with(fail(pos.CheckSignedCall, pos.ProblemUnexpectedAnswer), func(c *pos.Check) { c.HTTPStatus = 404 }), []string{"HTTP 404", "gateway.do"}},
		{with(fail(pos.CheckNotification, pos.ProblemNotifyNotPublic), func(c *pos.Check) { c.URL = "http://192.168.1.20:8443/alipay/notify" }),
			[]string{"192.168.1.20:8443", "cannot reach", "0.0.0.0:8443"}},
		{with(fail(pos.CheckNotification, pos.ProblemNotifyElsewhere), func(c *pos.Check) { c.Listened, c.HTTPStatus = true, 200 }),
			[]string{"not from notify_addr 0.0.0.0:8443"}},
		{with(fail(pos.CheckNotification, pos.ProblemUnreachable), func(c *pos.Check) { c.Cause = pos.CauseConnectionRefused }),
			[]string{"notify_url", "refuses connections", "must lead to notify_addr"}},
		{with(fail(pos.CheckPrinter, pos.ProblemPrinterNoStatus), func(c *pos.Check) {
			c.Printer, c.StatusAsked, c.Elapsed = "tcp://192.168.1.30:9100", true, 2*time.Second
		}), []string{"tcp://192.168.1.30:9100", "DLE EOT", "within 2 s", "printer_skip_status = true"}},
		{with(fail(pos.CheckPrinter, pos.ProblemPrinterUnreachable), func(c *pos.Check) {
			c.Printer, c.Err = "tcp://192.168.1.30:9100", syscall.ECONNREFUSED
		}), []string{"tcp://192.168.1.30:9100 cannot be reached", "printer in the config"}},
		{with(fail(pos.CheckPrinter, pos.ProblemPrinterNotReady), func(c *pos.Check) {
			c.Printer, c.StatusAsked, c.PrinterSays = "/dev/usb/lp0", true, pos.PrinterCoverOpen
		}), []string{"/dev/usb/lp0 answers, but cannot print", "cover"}},
	}
}

// fact is what a line names that must come through translation whole: a
// setting, a path, a URL, an address, a code.
var fact = regexp.MustCompile(`[A-Za-z0-9_./:-]*[_/.:][A-Za-z0-9_./:-]*[A-Za-z0-9]`)

// doctorNames are words a Chinese line of kiosk doctor holds as they are:
// a setting, the words of commands to type, and the cause the test gives.
var doctorNames = []string{"gateway", "printer", "keys", "gen", "chmod", "timedatectl", "true", "install", "the", "cause"}

// TestDoctorSpeaksChinese: in Chinese each problem's line is Chinese, one
// line, and names every setting, path, URL, address and code the English
// line names, so its fix can still be typed.
func TestDoctorSpeaksChinese(t *testing.T) {
	problems := doctorProblems()
	english := make([]string, len(problems))
	for i, p := range problems {
		english[i] = checkLine(p.check, doctorRunOfProblems)
	}
	inChinese(t)
	for i, p := range problems {
		zh := checkLine(p.check, doctorRunOfProblems)
		if zh == english[i] || !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || strings.Contains(zh, "\n") {
			t.Errorf("%s %s: not one line of Chinese: %q", p.check.ID, p.check.Problem, zh)
		}
		if en := latin.Words(zh, doctorNames...); len(en) > 0 {
			t.Errorf("%s %s: English %q in the Chinese line %q", p.check.ID, p.check.Problem, en, zh)
		}
		for _, f := range fact.FindAllString(english[i], -1) {
			if !strings.Contains(zh, f) {
				t.Errorf("%s %s: the Chinese line leaves out %q:\n%s\n%s", p.check.ID, p.check.Problem, f, english[i], zh)
			}
		}
	}
}

// TestOldSandboxWarningNamesTheNewOne, in both languages.
func TestOldSandboxWarningNamesTheNewOne(t *testing.T) {
	const old = "https://openapi.alipaydev.com/gateway.do"
	check := func(lang string) {
		w := OldSandboxWarning(old)
		if !strings.Contains(w, old) || !strings.Contains(w, pos.SandboxGatewayURL) || !strings.Contains(w, `gateway = "sandbox"`) {
			t.Errorf("%s: %q does not name the old sandbox, the new one and how to set it", lang, w)
		}
	}
	check("en")
	inChinese(t)
	check("zh")
	if w := OldSandboxWarning(old); !strings.Contains(w, "旧沙箱") {
		t.Errorf("zh: %q is not Chinese", w)
	}
}

// TestDoctorPrintsALinePerCheck: a mark and a line per check, the
// summary, and an error unless every check passed.
func TestDoctorPrintsALinePerCheck(t *testing.T) {
	checks := []pos.Check{
		{ID: pos.CheckAppKey, Status: pos.StatusPass, Path: "k.pem", Format: "PKCS#8 PEM", Bits: 2048},
		{ID: pos.CheckPermissions, Status: pos.StatusFail, Problem: pos.ProblemLoosePermissions, Path: "k.pem", Mode: 0o640},
		{ID: pos.CheckSignedCall, Status: pos.StatusSkip, After: pos.CheckGateway},
	}
	var b bytes.Buffer
	err := Doctor(&b, DoctorRun{ConfigPath: "kiosk.toml", Gateway: "https://openapi.alipay.com/gateway.do", Mode: pos.ModeProduction, Protocol: "v2"}, checks)
	want := "kiosk doctor: kiosk.toml, gateway https://openapi.alipay.com/gateway.do (production), OpenAPI v2\n" +
		"  ok    app_private_key k.pem is an RSA private key (PKCS#8 PEM, 2048 bits)\n" +
		"  FAIL  app_private_key k.pem has mode 0640: other users of this machine can read it and sign payments and refunds as the shop: chmod 600 k.pem\n" +
		"  skip  the signed call: not checked until the gateway passes\n" +
		"1 problem to fix; run kiosk doctor again after fixing it.\n"
	if b.String() != want || err == nil || err.Error() != "doctor found 1 problem" {
		t.Errorf("got\n%s(%v)\nwant\n%s", b.String(), err, want)
	}
	b.Reset()
	if err := Doctor(&b, DoctorRun{}, checks[:1]); err != nil || !strings.HasSuffix(b.String(), "All checks passed: the kiosk can sell with this configuration.\n") {
		t.Errorf("all passed: %v\n%s", err, b.String())
	}
}

// TestDoctorMarksInChinese: the marks are words of the language, padded
// to one display width so the lines after them align.
func TestDoctorMarksInChinese(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	checks := []pos.Check{
		{ID: pos.CheckAppKey, Status: pos.StatusPass, Path: "k.pem", Format: "PKCS#8 PEM", Bits: 2048},
		{ID: pos.CheckPermissions, Status: pos.StatusFail, Problem: pos.ProblemLoosePermissions, Path: "k.pem", Mode: 0o640},
		{ID: pos.CheckSignedCall, Status: pos.StatusSkip, After: pos.CheckGateway},
	}
	var b bytes.Buffer
	_ = Doctor(&b, DoctorRun{ConfigPath: "kiosk.toml", Gateway: "https://openapi.alipay.com/gateway.do", Mode: pos.ModeProduction, Protocol: "v2"}, checks)
	lines := strings.Split(b.String(), "\n")
	for i, mark := range []string{"  通过  app_private_key", "  失败  app_private_key", "  跳过  签名调用"} {
		if !strings.HasPrefix(lines[i+1], mark) {
			t.Errorf("line %d: %q, want it to start %q", i+1, lines[i+1], mark)
		}
	}
}

// TestLogLinesSurviveSplitWrites: a record that reaches kiosk log in two
// pieces (the kiosk was writing it) prints as one line.
func TestLogLinesSurviveSplitWrites(t *testing.T) {
	var b bytes.Buffer
	lw := &lineWriter{w: &b, loc: time.UTC}
	for _, piece := range []string{`{"time":"2026-12-01T14:39:16Z","level":"INFO","msg":"kiosk st`, `arted","mode":"EMULATOR"}` + "\n" + `{"msg":`, `"x"}`} {
		if _, err := lw.Write([]byte(piece)); err != nil {
			t.Fatal(err)
		}
	}
	lw.flush()
	if want := "2026-12-01 14:39:16 INFO  kiosk started mode=EMULATOR\n[x]\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestLogFormatComplaintSpeaksTheLanguage: kiosk log --format refuses what
// it does not print, in words of the catalogue.
func TestLogFormatComplaintSpeaksTheLanguage(t *testing.T) {
	err := Log(t.Context(), io.Discard, t.TempDir(), nil, "xml", time.UTC)
	if !errors.As(err, new(UsageError)) || !strings.Contains(err.Error(), "text or json") {
		t.Errorf("English: %v", err)
	}
	inChinese(t)
	if err := Log(t.Context(), io.Discard, t.TempDir(), nil, "xml", time.UTC); err == nil || !strings.Contains(err.Error(), "text 或 json") {
		t.Errorf("Chinese: %v", err)
	}
}

// TestAGatewayThatResetsIsSaidInChinese: a gateway that drops the
// connection is said in the kiosk's words, not as the failure's code and
// Go's text (connection_reset：alipay: gateway unreachable: … read tcp …).
func TestAGatewayThatResetsIsSaidInChinese(t *testing.T) {
	inChinese(t)
	reset := fmt.Errorf("alipay: gateway unreachable: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)})
	c := pos.Check{ID: pos.CheckGateway, Status: pos.StatusFail, Problem: pos.ProblemUnreachable,
		URL: "https://openapi.alipay.com/gateway.do", Cause: "connection_reset", Err: reset}
	line := unreachableLine("网关", c)
	if !strings.Contains(line, say.System.ConnReset) || strings.Contains(line, "connection") || strings.Contains(line, "read tcp") {
		t.Errorf("a reset gateway: %q", line)
	}
}

// TestDoctorSaysItsPassesInChinese: each line says what passed, in the
// words a Chinese screen uses.
func TestDoctorSaysItsPassesInChinese(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	checks := []pos.Check{
		{ID: pos.CheckGatewayURL, Status: pos.StatusPass, URL: "https://openapi.alipay.com/gateway.do", GatewayMode: pos.ModeProduction},
		{ID: pos.CheckClock, Status: pos.StatusPass, Skew: 300 * time.Millisecond},
		{ID: pos.CheckSignedCall, Status: pos.StatusSkip, After: pos.CheckGateway},
	}
	var b bytes.Buffer
	_ = Doctor(&b, DoctorRun{ConfigPath: "kiosk.toml", Gateway: "https://openapi.alipay.com/gateway.do", Mode: pos.ModeProduction, Protocol: "v2"}, checks)
	for _, want := range []string{
		"  通过  网关地址有效：https://openapi.alipay.com/gateway.do（正式环境）\n",
		"  通过  本机时钟与网关一致（误差在 1 秒以内）\n",
		"  跳过  签名调用：网关检查通过后再检查\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("doctor lacks %q:\n%s", want, b.String())
		}
	}
}
