package escpos

// The ESC/POS commands this package sends, as Epson's ESC/POS command
// reference defines them; the Chinese counter printers (Xprinter, GPrinter,
// SPRT, …) follow it, and add FS & / FS . for their GB character mode.
const (
	lf  = 0x0a
	esc = 0x1b
	fs  = 0x1c
	gs  = 0x1d
	dle = 0x10
	eot = 0x04
)

var (
	cmdInit         = []byte{esc, '@'} // ESC @: clear the buffer, reset modes
	cmdChineseOn    = []byte{fs, '&'}  // FS &: double-byte GB codes from here
	cmdChineseOff   = []byte{fs, '.'}  // FS .: back to single-byte codes
	cmdFeedAndCut   = []byte{gs, 'V', 66, 0}
	cmdNormalSize   = []byte{gs, '!', 0x00}
	cmdDoubleSize   = []byte{gs, '!', 0x11} // width ×2 (bits 4–7), height ×2 (bits 0–3)
	cmdBoldOn       = []byte{esc, 'E', 1}
	cmdBoldOff      = []byte{esc, 'E', 0}
	cmdStatusPrefix = []byte{dle, eot}
)

// ESC a n: justification of the lines that follow.
func cmdAlign(a Alignment) []byte { return []byte{esc, 'a', byte(a)} }

// ESC d n: print the buffer and feed n lines.
func cmdFeedLines(n byte) []byte { return []byte{esc, 'd', n} }

// GS ( k pL pH cn fn [parameters]: a two-dimensional code function; cn 49
// is QR Code. pL + 256·pH counts the bytes after pH.
func cmdQR(fn byte, params ...byte) []byte {
	n := len(params) + 2
	out := []byte{gs, '(', 'k', byte(n), byte(n >> 8), 49, fn}
	return append(out, params...)
}
