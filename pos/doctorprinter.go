package pos

import (
	"context"
	"time"
)

// The doctor's check of the receipt printer, made when the configuration
// names one: it is reached, and it answers its status request (DLE EOT),
// without which every receipt fails as a printer that does not answer.
// pos knows no printer: the root adapts the printer driver to
// PrinterProbe.

// CheckPrinter is the receipt printer's check.
const CheckPrinter CheckID = "printer"

// The printer's problems.
const (
	ProblemPrinterUnreachable Finding = "printer_unreachable" // nothing answers at the address (Err says why)
	ProblemPrinterNoStatus    Finding = "printer_no_status"   // reached, but it never answered its status request
	ProblemPrinterNotReady    Finding = "printer_not_ready"   // it answered that it cannot print (PrinterSays)
)

// PrinterCondition is what a printer that answered says stops it.
type PrinterCondition string

// The conditions a printer reports.
const (
	PrinterReady      PrinterCondition = ""
	PrinterOutOfPaper PrinterCondition = "out_of_paper"
	PrinterCoverOpen  PrinterCondition = "cover_open"
	PrinterOffline    PrinterCondition = "offline"
)

// PrinterAnswer is what a PrinterProbe found.
type PrinterAnswer struct {
	Reached bool // the connection was made, or the device opened
	// Asked: its status was asked; not with printer_skip_status, nor of a
	// device whose driver reports none.
	Asked    bool
	Answered bool             // it answered the status request
	Says     PrinterCondition // what it answered
	Waited   time.Duration    // how long the status request was given
	Err      error            // why it was not reached
}

// PrinterProbe asks the configured receipt printer how it is, printing
// nothing.
type PrinterProbe interface {
	Probe(ctx context.Context) PrinterAnswer
}

// CheckPrinterAt is the doctor's check of the printer at address (as the
// configuration names it), through probe. It is a check of its own so that
// a kiosk on the emulator, whose gateway the doctor does not check, has
// its printer checked too.
func CheckPrinterAt(ctx context.Context, address string, probe PrinterProbe) Check {
	a := probe.Probe(ctx)
	c := pass(CheckPrinter)
	c.Printer, c.PrinterSays, c.StatusAsked, c.Elapsed = address, a.Says, a.Asked, a.Waited
	switch {
	case !a.Reached:
		c.Status, c.Problem, c.Err = StatusFail, ProblemPrinterUnreachable, a.Err
	case a.Asked && !a.Answered:
		c.Status, c.Problem = StatusFail, ProblemPrinterNoStatus
	case a.Says != PrinterReady:
		c.Status, c.Problem = StatusFail, ProblemPrinterNotReady
	}
	return c
}
