package pos

import (
	"context"
	"errors"
	"testing"
	"time"
)

type fakeProbe PrinterAnswer

func (f fakeProbe) Probe(context.Context) PrinterAnswer { return PrinterAnswer(f) }

// TestDoctorChecksThePrinter: each answer of the printer is its own
// finding, with the printer's facts; the doctor makes the check only when
// a printer is configured.
func TestDoctorChecksThePrinter(t *testing.T) {
	refused := errors.New("connection refused")
	for _, tc := range []struct {
		answer  PrinterAnswer
		status  CheckStatus
		problem Finding
	}{
		{PrinterAnswer{Reached: true, Asked: true, Answered: true, Waited: 2 * time.Second}, StatusPass, ""},
		{PrinterAnswer{Reached: true}, StatusPass, ""}, // printer_skip_status: not asked
		{PrinterAnswer{Err: refused}, StatusFail, ProblemPrinterUnreachable},
		{PrinterAnswer{Reached: true, Asked: true, Waited: 2 * time.Second}, StatusFail, ProblemPrinterNoStatus},
		{PrinterAnswer{Reached: true, Asked: true, Answered: true, Says: PrinterOutOfPaper}, StatusFail, ProblemPrinterNotReady},
	} {
		c := CheckPrinterAt(t.Context(), "tcp://127.0.0.1:9100", fakeProbe(tc.answer))
		if c.ID != CheckPrinter || c.Status != tc.status || c.Problem != tc.problem || c.Printer != "tcp://127.0.0.1:9100" ||
			c.StatusAsked != tc.answer.Asked || c.PrinterSays != tc.answer.Says || c.Elapsed != tc.answer.Waited {
			t.Errorf("%+v: check %+v, want %s %q", tc.answer, c, tc.status, tc.problem)
		}
		if tc.problem == ProblemPrinterUnreachable && !errors.Is(c.Err, refused) {
			t.Errorf("unreachable: Err %v, want the probe's", c.Err)
		}
	}
	has := func(checks []Check) bool {
		for _, c := range checks {
			if c.ID == CheckPrinter {
				return true
			}
		}
		return false
	}
	if has(NewDoctor(DoctorConfig{}).Run(t.Context())) {
		t.Error("the doctor checked a printer none configured")
	}
	checks := NewDoctor(DoctorConfig{Printer: "tcp://127.0.0.1:9100", PrinterProbe: fakeProbe{}}).Run(t.Context())
	if !has(checks) {
		t.Error("the doctor did not check the configured printer")
	}
}
