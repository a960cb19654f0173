package cli

// The lines of kiosk doctor, kiosk keys gen and kiosk log, and the warning
// about the retired sandbox: the sentences are the catalogue's
// (words.DoctorWords), in the language spoken; this file picks the one
// that fits a check and fills it. The functions that print them are in
// doctorprint.go, keys.go and log.go.

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/words"
)

// Where Alipay's console takes the app public key (应用公钥) and shows
// Alipay's (支付宝公钥), as Alipay's documentation describes the pages.
const (
	consoleSandbox    = "https://open.alipay.com/develop/sandbox/app"
	consoleProduction = "https://open.alipay.com"
)

// dw is the catalogue's doctor words in the language spoken.
func dw() *words.DoctorWords { return &say.Doctor }

// keysWritten is what kiosk keys gen says after writing a pair.
func keysWritten(k pos.AppKeys, dir string) string {
	d := dw()
	alipayKey := joinPath(dir, "alipay_public_key.pem")
	var b strings.Builder
	b.WriteString(d.KeysWrote.F(k.Bits, dir) + "\n")
	private, public := padToSame(k.PrivatePath, k.PublicPath)
	b.WriteString(d.KeysPrivate.F(private, k.PrivateFormat) + "\n")
	b.WriteString(d.KeysPublic.F(public) + "\n\n")
	b.WriteString(d.KeysPaste + "\n\n")
	fmt.Fprintf(&b, "%s\n\n", k.ConsoleLine)
	b.WriteString(d.KeysSandbox.F(consoleSandbox) + "\n")
	b.WriteString(d.KeysProduction.F(consoleProduction) + "\n\n")
	b.WriteString(d.KeysSaveAlipay.F(alipayKey) + "\n\n")
	fmt.Fprintf(&b, "app_id            = %q   # %s\n", "…", d.KeysAppID) // first: a config without it is refused
	fmt.Fprintf(&b, "gateway           = %q   # %s\n", pos.SandboxGatewayURL, d.KeysGateway.F(pos.ProductionGatewayURL))
	fmt.Fprintf(&b, "app_private_key   = %q\n", k.PrivatePath)
	fmt.Fprintf(&b, "app_public_key    = %q   # %s\n", k.PublicPath, d.KeysConsoleHolds)
	fmt.Fprintf(&b, "alipay_public_key = %q\n\n", alipayKey)
	b.WriteString(d.KeysThen + "\n")
	return b.String()
}

// padToSame pads the shorter of a and b with spaces to the display width
// of the other, so that what follows them lines up (a Chinese directory's
// characters take two cells).
func padToSame(a, b string) (string, string) {
	w := max(ansi.StringWidth(a), ansi.StringWidth(b))
	return a + strings.Repeat(" ", w-ansi.StringWidth(a)), b + strings.Repeat(" ", w-ansi.StringWidth(b))
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

// keysExist refuses to write over a key.
func keysExist(paths []string) string { return dw().KeysExist.F(strings.Join(paths, dw().And)) }

// noLogYet says that a data directory has no log.
func noLogYet(path string) string { return dw().NoLogYet.F(path) }

// OldSandboxWarning is said at start, and by kiosk doctor, of a config
// that names the retired sandbox: it names the sandbox to use instead.
func OldSandboxWarning(gateway string) string {
	return dw().OldSandbox.F(gateway, pos.SandboxGatewayURL)
}

// doctorHeading names what is checked.
func doctorHeading(r DoctorRun) string {
	return dw().Heading.F(r.ConfigPath, r.Gateway, gatewayKind(r.Mode), r.Protocol)
}

// doctorSummary is the last line.
func doctorSummary(problems, skipped int) string {
	switch {
	case problems == 0 && skipped == 0:
		return dw().AllPassed
	case problems == 0:
		return dw().NoProblemButSkipped.F(skipped)
	}
	return dw().ProblemsToFix.F(problems)
}

// doctorFailed is the error kiosk doctor ends with unless all passed.
func doctorFailed(problems, skipped int) string {
	if problems == 0 {
		return dw().CouldNotCheck.F(skipped)
	}
	return dw().FoundProblems.F(problems)
}

// marks are the status marks at the start of each line, in the
// language, padded to the same display width for a reader's eye.
func marks() (pass, fail, skip string) {
	d := dw()
	width := max(ansi.StringWidth(d.MarkPass), ansi.StringWidth(d.MarkFail), ansi.StringWidth(d.MarkSkip))
	pad := func(s string) string { return s + strings.Repeat(" ", width-ansi.StringWidth(s)) }
	return pad(d.MarkPass), pad(d.MarkFail), pad(d.MarkSkip)
}

func gatewayKind(m pos.Mode) string {
	switch m {
	case pos.ModeProduction:
		return dw().Production
	case pos.ModeSandbox:
		return dw().Sandbox
	case pos.ModeEmulator:
		return dw().Emulator
	}
	return strings.ToLower(strings.TrimPrefix(string(m), "GATEWAY "))
}

// checkName is a check as a skipped line names what it waits for: a
// setting by its name, the others in words.
func checkName(id pos.CheckID) string {
	d := dw()
	switch id {
	case pos.CheckAppKey:
		return "app_private_key"
	case pos.CheckConsoleKey:
		return "app_public_key"
	case pos.CheckAlipayKey:
		return "alipay_public_key"
	case pos.CheckNotAppKey:
		return d.NameNotAppKey
	case pos.CheckPermissions:
		return d.NamePermissions
	case pos.CheckGatewayURL:
		return d.NameGatewayURL
	case pos.CheckGateway:
		return d.NameGateway
	case pos.CheckClock:
		return d.NameClock
	case pos.CheckSignedCall:
		return d.NameSignedCall
	case pos.CheckNotification:
		return "notify_url"
	case pos.CheckPrinter:
		return d.NamePrinter
	}
	return string(id)
}

// skippedLine says why a check was not made.
func skippedLine(c pos.Check) string {
	if c.Problem == pos.ProblemNoDate {
		return dw().SkippedNoDate
	}
	return dw().SkippedUntil.F(checkName(c.ID), checkName(c.After))
}

// errText is an error for a blank of a sentence.
func errText(err error) string { return fmt.Sprint(err) }

// mode is a file's permissions as chmod takes them: 0600.
func mode(c pos.Check) string { return fmt.Sprintf("%04o", c.Mode) }

// checkLine is one check in one line: what was found and, for a problem,
// what to do.
func checkLine(c pos.Check, r DoctorRun) string {
	d := dw()
	switch c.ID {
	case pos.CheckAppKey:
		return appKeyLine(c)
	case pos.CheckConsoleKey:
		return consoleKeyLine(c)
	case pos.CheckAlipayKey:
		return alipayKeyLine(c)
	case pos.CheckNotAppKey:
		if c.Status == pos.StatusPass {
			return d.NotAppKeyPass
		}
		return d.NotAppKeyFail.F(c.Path)
	case pos.CheckPermissions:
		if c.Status == pos.StatusPass {
			return d.PermissionsPass.F(c.Path, mode(c))
		}
		return d.PermissionsFail.F(c.Path, mode(c), c.Path)
	case pos.CheckGatewayURL:
		if c.Problem == pos.ProblemOldSandbox {
			return OldSandboxWarning(c.URL)
		}
		return d.GatewayURL.F(c.URL, gatewayKind(c.GatewayMode))
	case pos.CheckGateway:
		if c.Status == pos.StatusPass {
			return d.GatewayAnswers.F(c.HTTPStatus, say.Duration(c.Elapsed.Round(time.Millisecond)))
		}
		return unreachableLine(d.Gateway, c)
	case pos.CheckClock:
		return clockLine(c)
	case pos.CheckSignedCall:
		return signedCallLine(c)
	case pos.CheckNotification:
		return notifyLine(c, r)
	case pos.CheckPrinter:
		return printerLine(c)
	}
	return fmt.Sprintf("%s: %s %s", c.ID, c.Status, c.Problem)
}

// keyFileLine words the problems a key file can have; what is the setting's
// name, want what belongs there.
func keyFileLine(c pos.Check, what, want string) string {
	d := dw()
	switch c.Problem {
	case pos.ProblemNotSet:
		return d.NotSet.F(what, want)
	case pos.ProblemUnreadable:
		return d.Unreadable.F(what, c.Path, say.KeyFaultText(c.Key))
	case pos.ProblemPublicKeyGiven:
		return d.PublicGiven.F(what, c.Path, c.Format, want)
	case pos.ProblemPrivateKeyGiven:
		return d.PrivateGiven.F(what, c.Path, c.Format, want)
	case pos.ProblemNotRSA:
		return d.NotRSA.F(what, c.Path, c.Format, want)
	case pos.ProblemWeakKey:
		return d.Weak.F(what, c.Path, say.KeyFaultText(c.Key), want)
	case pos.ProblemMalformedKey:
		return d.Malformed.F(what, c.Path, say.KeyFaultText(c.Key), want)
	}
	return d.KeyOther.F(what, c.Path, errText(c.Err))
}

func appKeyLine(c pos.Check) string {
	if c.Status == pos.StatusPass {
		return dw().AppKeyPass.F(c.Path, c.Format, c.Bits)
	}
	return keyFileLine(c, "app_private_key", dw().AppKeyWant)
}

func consoleKeyLine(c pos.Check) string {
	switch {
	case c.Status == pos.StatusPass:
		return dw().ConsolePass.F(c.Path)
	case c.Problem == pos.ProblemPairMismatch:
		return dw().ConsoleMismatch.F(c.Path)
	}
	return keyFileLine(c, "app_public_key", dw().ConsoleWant)
}

func alipayKeyLine(c pos.Check) string {
	d := dw()
	switch {
	case c.Status == pos.StatusPass && c.Format == "certificates":
		return d.CertsPass.F(c.Path, c.Bits)
	case c.Status == pos.StatusPass:
		return d.AlipayKeyPass.F(c.Path, c.Format, c.Bits)
	case c.Problem == pos.ProblemCertificates:
		return d.Certificates.F(say.CertFaultText(c.Cert))
	case c.Problem == pos.ProblemPairMismatch:
		return d.CertMismatch.F(c.Path)
	}
	return keyFileLine(c, "alipay_public_key", d.AlipayKeyWant)
}

// unreachableLine says why what got no answer, by the cause.
func unreachableLine(what string, c pos.Check) string {
	d, host := dw(), hostOf(c.URL)
	switch c.Cause {
	case pos.CauseDNS:
		return d.DNS.F(what, host)
	case pos.CauseConnectionRefused:
		return d.ConnRefused.F(what, host)
	case pos.CauseUnreachable:
		return d.NoRoute.F(what, host)
	case pos.CauseTimeout:
		return d.Timeout.F(what, host, say.Duration(c.Elapsed.Round(time.Millisecond)))
	case pos.CauseTLSCertificate:
		return d.TLSCertificate.F(what, host, say.SystemReason(c.Err))
	case pos.CauseTLS:
		return d.TLS.F(what, host, say.SystemReason(c.Err))
	}
	return d.NoAnswer.F(what, host, say.SystemReason(c.Err))
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
		return dw().ClockPass.F(say.Duration(max(abs(c.Skew).Round(time.Second), time.Second)))
	}
	if c.Skew < 0 {
		return dw().ClockBehind.F(say.Duration(abs(c.Skew).Round(time.Second)))
	}
	return dw().ClockAhead.F(say.Duration(abs(c.Skew).Round(time.Second)))
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// alipaySaid is what Alipay answered, for a line that quotes it: its
// codes, and its sub_msg in quotation marks, Alipay's text as it wrote it.
func alipaySaid(c pos.Check) string {
	parts := []string{}
	for _, p := range []string{c.Code, c.SubCode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if c.SubMsg != "" {
		parts = append(parts, `"`+strings.ReplaceAll(c.SubMsg, `"`, "'")+`"`)
	}
	return strings.Join(parts, " ")
}

func signedCallLine(c pos.Check) string {
	d := dw()
	switch c.Problem {
	case "":
		return d.SignedPass.F(c.Protocol, c.OutTradeNo)
	case pos.ProblemInvalidAppID:
		return d.InvalidAppID.F(c.AppID, alipaySaid(c))
	case pos.ProblemSandboxAppOnProd:
		return d.SandboxAppOnProd.F(c.AppID, alipaySaid(c))
	case pos.ProblemProdAppOnSandbox:
		return d.ProdAppOnSandbox.F(c.AppID, alipaySaid(c), consoleSandbox)
	case pos.ProblemRequestSignature:
		return d.RequestSignature.F(alipaySaid(c))
	case pos.ProblemAnswerSignature:
		if c.GatewayMode == pos.ModeEmulator {
			return d.AnswerSignatureEmulator.F(c.KeySetting, c.Path)
		}
		return d.AnswerSignature.F(c.KeySetting, c.Path, c.AppID)
	case pos.ProblemAnswerUnsigned:
		return d.AnswerUnsigned
	case pos.ProblemCertificateSN:
		return d.CertificateSN
	case pos.ProblemRefused:
		return d.AlipayRefused.F(alipaySaid(c), refusalAdvice(c))
	case pos.ProblemUnexpectedAnswer:
		if c.HTTPStatus != 0 {
			return d.NotAGateway.F(c.URL, c.HTTPStatus)
		}
		return d.NotAGatewayErr.F(c.URL, errText(c.Err))
	case pos.ProblemUnreachable:
		return unreachableLine(d.Gateway, c)
	case pos.ProblemNotSet:
		return d.NoAppID
	}
	return d.SignedOther.F(errText(c.Err))
}

// refusalAdvice is what to do about a refusal the doctor does not know
// by name.
func refusalAdvice(c pos.Check) string {
	switch {
	case c.Code == "40006" || strings.Contains(c.SubCode, "insufficient"):
		return dw().AdviceNoPermission
	case strings.Contains(c.SubCode, "timestamp"):
		return dw().AdviceTimestamp
	}
	return dw().AdviceLookUp
}

func notifyLine(c pos.Check, r DoctorRun) string {
	d := dw()
	switch {
	case c.Status == pos.StatusPass && c.Listened:
		return d.NotifyPassListened.F(c.URL, r.NotifyAddr)
	case c.Status == pos.StatusPass:
		return d.NotifyPassKiosk.F(c.URL)
	case c.Problem == pos.ProblemNotifyNotPublic:
		return d.NotifyNotPublic.F(c.URL, hostOf(c.URL), r.NotifyAddr)
	case c.Problem == pos.ProblemNotifyElsewhere && c.Listened:
		return d.NotifyElsewhereListened.F(c.URL, c.HTTPStatus, r.NotifyAddr)
	case c.Problem == pos.ProblemNotifyElsewhere:
		return d.NotifyElsewhere.F(c.URL, c.HTTPStatus, r.NotifyAddr)
	case c.Problem == pos.ProblemUnreachable:
		return unreachableLine(d.NotifyURL, c) + d.NotifyMustLead.F(r.NotifyAddr)
	}
	return d.NotifyOther.F(c.URL, errText(c.Err))
}

// printerLine says how the receipt printer answered, and for a printer
// that never answers its status request, the setting that lets it print.
func printerLine(c pos.Check) string {
	d, pw := dw(), &say.Paper
	waited := say.Duration(c.Elapsed.Round(time.Millisecond))
	switch c.Problem {
	case "":
		if !c.StatusAsked {
			return d.PrinterNotAsked.F(c.Printer)
		}
		return d.PrinterReady.F(c.Printer, waited)
	case pos.ProblemPrinterUnreachable:
		return d.PrinterUnreachable.F(c.Printer, say.SystemReason(c.Err))
	case pos.ProblemPrinterNoStatus:
		return d.PrinterNoStatus.F(c.Printer, waited)
	}
	why := map[pos.PrinterCondition]string{pos.PrinterOutOfPaper: pw.OutOfPaper, pos.PrinterCoverOpen: pw.CoverOpen}[c.PrinterSays]
	if why == "" {
		why = pw.Offline
	}
	return d.PrinterNotReady.F(c.Printer, why)
}
