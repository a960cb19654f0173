package escpos

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
)

// Replies to DLE EOT 1, 2, 4 as the ESC/POS reference defines them. Every
// reply has bits 1 and 4 on.
const (
	replyReady      = 0x12
	replyOffline    = 0x12 | 0x08 // DLE EOT 1 bit 3
	replyCoverOpen  = 0x12 | 0x04 // DLE EOT 2 bit 2
	replyPaperStop  = 0x12 | 0x20 // DLE EOT 2 bit 5
	replyError      = 0x12 | 0x40 // DLE EOT 2 bit 6
	replyPaperEnd   = 0x12 | 0x60 // DLE EOT 4 bits 5, 6
	replyPaperLow   = 0x12 | 0x0c // DLE EOT 4 bits 2, 3
	asbFirstByte    = 0x10        // an Automatic Status Back message's first byte: bit 1 off
	asbOtherByteMax = 0x0f        // its other bytes: bit 4 off
)

func TestParseStatus(t *testing.T) {
	for _, tc := range []struct {
		printer, offline, paper byte
		want                    Kind
		text                    string
	}{
		{replyReady, replyReady, replyReady, 0, "ready"},
		{replyReady, replyReady, replyPaperLow, 0, "paper near end"},
		{replyOffline, replyPaperStop, replyPaperEnd, OutOfPaper, "offline, paper end"},
		{replyReady, replyReady, replyPaperEnd, OutOfPaper, "paper end"},
		{replyOffline, replyCoverOpen, replyReady, CoverOpen, "offline, cover open"},
		{replyOffline, replyReady, replyReady, Offline, "offline"},
		{replyOffline, replyError, replyReady, Offline, "offline, error"},
	} {
		s := parseStatus(tc.printer, tc.offline, tc.paper)
		if s.Problem() != tc.want || s.String() != tc.text {
			t.Errorf("parseStatus(%#x, %#x, %#x) = %v (%q), want %v (%q)",
				tc.printer, tc.offline, tc.paper, s.Problem(), s, tc.want, tc.text)
		}
	}
	if (Status{}).Problem() != 0 || (Status{}).String() != "status unknown" {
		t.Error("an unknown status must not be a problem")
	}
}

func TestStatusRepliesAreToldFromAutomaticStatusBack(t *testing.T) {
	for _, b := range []byte{replyReady, replyOffline, replyCoverOpen, replyPaperEnd, replyPaperLow, replyError} {
		if !isStatusReply(b) {
			t.Errorf("%#x is a DLE EOT reply", b)
		}
	}
	for b := 0; b <= asbOtherByteMax; b++ {
		if isStatusReply(byte(b)) {
			t.Errorf("%#x (bit 4 off) taken for a DLE EOT reply", b)
		}
	}
	if isStatusReply(asbFirstByte) || isStatusReply(asbFirstByte|0x0c) {
		t.Error("an ASB first byte taken for a DLE EOT reply")
	}
}

func TestParseLPStatus(t *testing.T) {
	for _, tc := range []struct {
		b    byte
		want Kind
	}{
		{0x18, 0},          // selected, no error
		{0xd8, 0},          // and not busy, acknowledged
		{0x30, OutOfPaper}, // nError active, paper out
		{0x00, Offline},    // nError active, not selected
		{0x10, Offline},    // nError active, selected, no paper fault: "on fire"
	} {
		if got := parseLPStatus(tc.b).Problem(); got != tc.want {
			t.Errorf("parseLPStatus(%#x) = %v, want %v", tc.b, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want Kind
	}{
		{&os.PathError{Op: "open", Path: "/dev/usb/lp0", Err: syscall.ENOENT}, NotConnected},
		{&os.PathError{Op: "open", Path: "/dev/usb/lp0", Err: syscall.ENODEV}, NotConnected},
		{&os.PathError{Op: "open", Path: "/dev/usb/lp0", Err: syscall.EACCES}, NoPermission},
		{&os.PathError{Op: "write", Path: "/dev/usb/lp0", Err: syscall.ENOSPC}, OutOfPaper},
		{&os.PathError{Op: "write", Path: "/dev/usb/lp0", Err: syscall.EIO}, Offline},
		{&os.PathError{Op: "write", Path: "/dev/usb/lp0", Err: os.ErrDeadlineExceeded}, TimedOut},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), NotConnected},
		{fmt.Errorf("write: %w", syscall.EPIPE), NotConnected},
		{io.EOF, NotConnected},
		{errors.New("something else"), Failed},
	} {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestErrorCarriesItsFacts(t *testing.T) {
	st := parseStatus(replyOffline, replyPaperStop, replyPaperEnd)
	err := error(&Error{Kind: OutOfPaper, Address: "tcp://10.0.0.9:9100", Op: "status", Status: &st})
	if !errors.Is(err, OutOfPaper) || errors.Is(err, Offline) {
		t.Error("errors.Is does not match the Kind")
	}
	want := "tcp://10.0.0.9:9100: printer out of paper (status): printer reports offline, paper end"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	cause := &Error{Kind: NotConnected, Address: "/dev/usb/lp0", Op: "open", Err: os.ErrNotExist}
	if !errors.Is(cause, os.ErrNotExist) || !strings.Contains(cause.Error(), "file does not exist") {
		t.Errorf("the cause is lost: %v", cause)
	}
}
