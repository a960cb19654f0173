package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// Kind is what went wrong with a printer, in the terms a cashier acts on.
// A Kind is itself an error, so errors.Is(err, escpos.OutOfPaper) works on
// any error this package returns.
type Kind int

// The kinds of printer failure.
const (
	// NotConnected: nothing answers at the address: no such device, the
	// cable is out, the printer is switched off, the connection was refused
	// or lost.
	NotConnected Kind = iota + 1
	// Offline: the printer answers but says it cannot print (offline or in
	// an error state), or the device driver said so (EIO).
	Offline
	// OutOfPaper: the paper end sensor sees no paper.
	OutOfPaper
	// CoverOpen: the printer's cover is open.
	CoverOpen
	// TimedOut: the printer stopped taking data or answering within the
	// time allowed.
	TimedOut
	// NoPermission: this user may not open the device (on Linux, usually
	// not a member of the lp group).
	NoPermission
	// Failed: anything else; Error.Err says what.
	Failed
)

var kindText = map[Kind]string{
	NotConnected: "printer not connected",
	Offline:      "printer offline",
	OutOfPaper:   "printer out of paper",
	CoverOpen:    "printer cover open",
	TimedOut:     "printer timed out",
	NoPermission: "no permission to use the printer",
	Failed:       "printing failed",
}

func (k Kind) Error() string {
	if s, ok := kindText[k]; ok {
		return s
	}
	return fmt.Sprintf("printer error %d", int(k))
}

// An Error is a failure to print, with its facts: which printer, what the
// package was doing, what kind of failure, what the printer reported if it
// reported anything, and the underlying error.
type Error struct {
	Kind    Kind
	Address string // as ParseAddress reads it
	Op      string // "open", "status", "write" or "confirm"; "queue" for a job that gave up waiting for the one before it
	// Status is what the printer reported, when it reported (nil otherwise).
	Status *Status
	Err    error // the cause, if there is one
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s (%s)", e.Address, e.Kind, e.Op)
	if e.Status != nil {
		msg += ": printer reports " + e.Status.String()
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, escpos.OutOfPaper) true for an *Error of that Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// classify names the kind of an I/O error from the operating system.
func classify(err error) Kind {
	var dns *net.DNSError
	var errno syscall.Errno
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return TimedOut
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return TimedOut
		}
		return NotConnected
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, os.ErrNotExist), errors.Is(err, net.ErrClosed):
		return NotConnected
	case errors.Is(err, os.ErrPermission):
		return NoPermission
	case errors.As(err, &errno):
		return classifyErrno(errno)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return TimedOut
	}
	return Failed
}

// classifyErrno reads the errors of sockets and of the Linux printer
// drivers: usblp and lp answer ENOSPC for paper out and EIO for offline.
func classifyErrno(e syscall.Errno) Kind {
	switch e {
	case syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
		syscall.EHOSTDOWN, syscall.ENETDOWN, syscall.ENODEV, syscall.ENXIO,
		syscall.ENOENT:
		return NotConnected
	case syscall.ENOSPC:
		return OutOfPaper
	case syscall.EIO:
		return Offline
	case syscall.EACCES, syscall.EPERM:
		return NoPermission
	case syscall.ETIMEDOUT:
		return TimedOut
	}
	return Failed
}
