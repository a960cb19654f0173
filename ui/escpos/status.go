package escpos

import (
	"strings"
)

// Status is what a printer reports about itself.
type Status struct {
	// Known is false when the printer could not be asked (a device whose
	// driver reports no status); the other fields are then all false.
	Known        bool
	Offline      bool // not ready to print
	CoverOpen    bool
	PaperEnd     bool // no paper, or printing stopped at the paper end
	PaperNearEnd bool // the roll is nearly used up: still prints
	Error        bool // a mechanical, cutter or other error
}

// Problem is the kind of failure the status stands for, or 0 when the
// printer can print. A nearly used up roll is no problem yet.
func (s Status) Problem() Kind {
	switch {
	case !s.Known:
		return 0
	case s.PaperEnd:
		return OutOfPaper
	case s.CoverOpen:
		return CoverOpen
	case s.Offline, s.Error:
		return Offline
	}
	return 0
}

func (s Status) String() string {
	if !s.Known {
		return "status unknown"
	}
	var parts []string
	for _, f := range []struct {
		on   bool
		name string
	}{
		{s.Offline, "offline"}, {s.CoverOpen, "cover open"}, {s.PaperEnd, "paper end"},
		{s.PaperNearEnd, "paper near end"}, {s.Error, "error"},
	} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	if len(parts) == 0 {
		return "ready"
	}
	return strings.Join(parts, ", ")
}

// The real-time status requests (DLE EOT n) sent before and after a job,
// and the replies' bits, as the ESC/POS reference gives them.
const (
	statusPrinter = 1 // bit 3: offline
	statusOffline = 2 // bit 2: cover open; bit 5: stopped at paper end; bit 6: error
	statusPaper   = 4 // bits 2–3: near end; bits 5–6: paper end
)

var statusRequests = []byte{statusPrinter, statusOffline, statusPaper}

// statusQuery is DLE EOT 1, DLE EOT 2, DLE EOT 4 in one write.
func statusQuery() []byte {
	var q []byte
	for _, n := range statusRequests {
		q = append(q, cmdStatusPrefix...)
		q = append(q, n)
	}
	return q
}

// isStatusReply tells a DLE EOT reply (bit 0 off, bit 1 on, bit 4 on, bit 7
// off) from the 4-byte Automatic Status Back messages a printer may send
// unasked, whose first byte has bit 1 off, and from their other bytes, which
// have bit 4 off.
func isStatusReply(b byte) bool { return b&0x93 == 0x12 }

// parseStatus reads the replies to DLE EOT 1, 2 and 4.
func parseStatus(printer, offline, paper byte) Status {
	return Status{
		Known:        true,
		Offline:      printer&0x08 != 0,
		CoverOpen:    offline&0x04 != 0,
		PaperEnd:     offline&0x20 != 0 || paper&0x60 == 0x60,
		PaperNearEnd: paper&0x0c == 0x0c,
		Error:        offline&0x40 != 0,
	}
}

// parseLPStatus reads the IEEE 1284 status byte that Linux printer drivers
// return for the LPGETSTATUS ioctl, as the usblp driver reads it: only when
// the nError line is active (bit 3 low) is anything wrong; then paper out
// (bit 5) or not selected (bit 4 low) say what.
func parseLPStatus(b byte) Status {
	const (
		nError   = 0x08
		selected = 0x10
		paperOut = 0x20
	)
	s := Status{Known: true}
	if b&nError != 0 {
		return s
	}
	switch {
	case b&paperOut != 0:
		s.PaperEnd = true
	case b&selected == 0:
		s.Offline = true
	default:
		s.Error = true
	}
	return s
}
