package cli

import (
	"errors"
	"fmt"
	"io"

	"kiosk/pos"
)

// DoctorRun is what kiosk doctor checked: the configuration's file, its
// gateway and protocol, and where the kiosk listens for notifications.
type DoctorRun struct {
	ConfigPath string
	Gateway    string
	Mode       pos.Mode
	Protocol   string
	NotifyAddr string
	NoGateway  bool // the config sets none: Gateway is production's by default
}

// Doctor prints one line per check, a problem's line with its fix, and a
// summary; it returns an error (exit status 1) unless every check passed.
func Doctor(w io.Writer, r DoctorRun, checks []pos.Check) error {
	fmt.Fprintln(w, doctorHeading(r))
	if r.NoGateway {
		fmt.Fprintln(w, dw().NoGatewaySet.F(pos.SandboxGatewayURL))
	}
	problems, skipped := 0, 0
	markPass, markFail, markSkip := marks()
	for _, c := range checks {
		mark, line := markPass, ""
		switch c.Status {
		case pos.StatusFail:
			mark, line = markFail, checkLine(c, r)
			problems++
		case pos.StatusSkip:
			mark, line = markSkip, skippedLine(c)
			skipped++
		default:
			line = checkLine(c, r)
		}
		fmt.Fprintf(w, "  %s  %s\n", mark, line)
	}
	fmt.Fprintln(w, doctorSummary(problems, skipped))
	if problems == 0 && skipped == 0 {
		return nil
	}
	return errors.New(doctorFailed(problems, skipped))
}

// DoctorOnEmulator is kiosk doctor of a configuration that names no
// gateway (configPath "" when there is none): it says plainly that the
// kiosk runs on its embedded emulator and how to check a real gateway,
// and the settings that apply, which passed, then the checks made all
// the same (the receipt printer's, when one is set). It returns nil (exit
// status 0) unless one of those failed.
func DoctorOnEmulator(w io.Writer, configPath, zone, protocol string, checks ...pos.Check) error {
	what := configPath
	if what == "" {
		what = dw().NoConfig
	}
	fmt.Fprintln(w, dw().OnEmulator.F(what))
	markPass, markFail, _ := marks()
	fmt.Fprintf(w, "  %s  %s\n", markPass, dw().OnEmulatorSettings.F(zone, protocol))
	problems := 0
	for _, c := range checks {
		mark := markPass
		if c.Status != pos.StatusPass {
			mark = markFail
			problems++
		}
		fmt.Fprintf(w, "  %s  %s\n", mark, checkLine(c, DoctorRun{}))
	}
	if problems > 0 {
		fmt.Fprintln(w, dw().OnEmulatorPrinterFailed)
		return errors.New(doctorFailed(problems, 0))
	}
	fmt.Fprintln(w, dw().OnEmulatorPassed)
	return nil
}
