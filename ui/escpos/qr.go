package escpos

import (
	"fmt"

	"rsc.io/qr"
)

// QRLevel is a QR error correction level.
type QRLevel byte

// The error correction levels, from least to most redundant; M is the usual
// choice for a receipt that may be creased.
const (
	QRLevelM QRLevel = iota // 15% recoverable (the default)
	QRLevelL                // 7%
	QRLevelQ                // 25%
	QRLevelH                // 30%
)

// QR is how a QR code prints.
type QR struct {
	// Module is the side of one module in dots, 1–16. Zero picks the
	// largest size up to 8 that fits the paper.
	Module int
	// Level is the error correction level.
	Level QRLevel
}

// qrQuietModules is the blank margin the QR specification asks for on every
// side. The printer does not add it: the paper's margins and the lines fed
// around the code must give it, so we count it in the width.
const qrQuietModules = 4

const maxQRModule, autoQRModule = 16, 8

// A QRError says why a QR code could not be printed; nothing was added to
// the document.
type QRError struct {
	Payload string
	Reason  string
}

func (e *QRError) Error() string {
	return fmt.Sprintf("QR code of %d bytes: %s", len(e.Payload), e.Reason)
}

// QR prints payload as a QR code (model 2) with GS ( k: select the model,
// the module size and the error level, store the data, print it. The payload
// must be printable ASCII (an order number, a URL), and the symbol with its
// quiet zone must fit the paper; otherwise QR adds nothing and returns a
// *QRError. Use Align(Center) first to centre it.
func (d *Document) QR(payload string, opt QR) error {
	module, err := qrModule(payload, opt, d.paper.Dots())
	if err != nil {
		return err
	}
	d.out = append(d.out, cmdQR(65, 50, 0)...)                             // fn 165: model 2
	d.out = append(d.out, cmdQR(67, byte(module))...)                      // fn 167: module size
	d.out = append(d.out, cmdQR(69, 48+opt.Level.escpos())...)             // fn 169: error level
	d.out = append(d.out, cmdQR(80, append([]byte{48}, payload...)...)...) // fn 180: store
	d.out = append(d.out, cmdQR(81, 48)...)                                // fn 181: print
	return nil
}

// escpos is the level's parameter in function 169, less 48: L, M, Q, H.
func (l QRLevel) escpos() byte {
	switch l {
	case QRLevelL:
		return 0
	case QRLevelQ:
		return 2
	case QRLevelH:
		return 3
	}
	return 1
}

func (l QRLevel) rsc() qr.Level {
	return [...]qr.Level{qr.L, qr.M, qr.Q, qr.H}[l.escpos()]
}

// qrModule checks the payload and returns the module size to print with.
func qrModule(payload string, opt QR, dots int) (int, error) {
	refuse := func(format string, args ...any) (int, error) {
		return 0, &QRError{Payload: payload, Reason: fmt.Sprintf(format, args...)}
	}
	if payload == "" {
		return refuse("the payload is empty")
	}
	for i := 0; i < len(payload); i++ {
		if c := payload[i]; c < 0x20 || c > 0x7e {
			return refuse("byte %d (0x%02x) is not printable ASCII", i, c)
		}
	}
	if opt.Module < 0 || opt.Module > maxQRModule {
		return refuse("module size %d is not from 1 to %d", opt.Module, maxQRModule)
	}
	if opt.Level > QRLevelH {
		return refuse("unknown error correction level %d", opt.Level)
	}
	// The printer picks its own data mode, as rsc.io/qr does, so this is the
	// symbol's size to within a version.
	code, err := qr.Encode(payload, opt.Level.rsc())
	if err != nil {
		return refuse("too long for a QR code (%v)", err)
	}
	span := code.Size + 2*qrQuietModules
	if opt.Module == 0 {
		module := min(dots/span, autoQRModule)
		if module < 1 {
			return refuse("%d modules do not fit %d dots", span, dots)
		}
		return module, nil
	}
	if span*opt.Module > dots {
		return refuse("%d modules of %d dots need %d dots, the paper has %d",
			span, opt.Module, span*opt.Module, dots)
	}
	return opt.Module, nil
}
