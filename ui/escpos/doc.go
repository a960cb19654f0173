// Package escpos prints on the ESC/POS thermal receipt printers found on
// shop counters in China (Epson TM, Xprinter, GPrinter and their like): it
// lays out and encodes a print job, and sends it to a printer with bounded
// waits and typed errors. It knows nothing of sales or receipts; the
// caller decides what to print.
//
// # Building a job
//
// A Document is laid out for one paper width, 58 mm (32 columns) or 80 mm
// (48 columns). NewDocument resets the printer and enters its Chinese mode
// (FS &), so all text is sent as GB18030; Bytes ends the job with FS .
//
//	doc := escpos.NewDocument(escpos.Paper58)
//	doc.Align(escpos.Center)
//	doc.Bold(true)
//	doc.Line("示例便利店")
//	doc.Bold(false)
//	doc.Big("￥12.34")
//	doc.Align(escpos.Left)
//	doc.Rule()
//	doc.Pair("交易号 Trade no.", tradeNo)
//	doc.Align(escpos.Center)
//	if err := doc.QR(orderNo, escpos.QR{}); err != nil { … } // *QRError: nothing added
//	doc.Feed(2)
//	doc.Cut()
//	job := doc.Bytes()
//
// Widths are measured as the printer prints, not as a terminal shows: one
// column for ASCII, two for every character from the GB font (Chinese,
// fullwidth forms, and also "·", "—", "“" that terminals draw narrow). Line,
// Big and Pair wrap to the paper and never split a character; Pair never
// cuts a value short. Width, Truncate and Wrap give the same measure to a
// caller that lays out its own columns. A character the printer's GB font
// lacks (emoji, anything GB18030 writes in four bytes) prints as '?';
// control characters in text are dropped, so text from a config or a
// ledger can never inject a printer command. ¥ prints as ￥.
//
// # Printing it
//
// A printer is named by a string, read with ParseAddress (use it to check a
// config at start-up: its *AddressError says what is wrong in words):
//
//	/dev/usb/lp0             a printer on this machine (USB: the usblp driver)
//	tcp://192.168.1.50:9100  a network printer (port 9100 if left out)
//
// Print(ctx, address, job, Options{}) opens, prints and closes. No step
// waits without bound: connecting has DialTimeout, every write of at most
// 4 KiB has WriteTimeout, a status reply has StatusTimeout, and ctx's
// deadline caps them all. A network printer is asked for its real-time
// status (DLE EOT 1, 2, 4) before the job, and nothing is sent when it
// reports no paper, an open cover or offline; it is asked again after the
// job, which proves it took every byte. A device is not asked (its driver's
// status is not reliable enough to refuse a job on), but when a write to it
// fails, the driver's LPGETSTATUS answer and error code (ENOSPC: paper out;
// EIO: offline) say why.
//
// # Handling failure
//
// Every printing error is an *Error with the Kind a cashier acts on
// (NotConnected, Offline, OutOfPaper, CoverOpen, TimedOut, NoPermission,
// Failed), the operation, the printer's Status when it reported one, and
// the cause. Kinds are errors, so
//
//	if errors.Is(err, escpos.OutOfPaper) { … "load paper, then reprint" … }
//
// works, and errors.As gives the *Error for its facts. A failure to print
// never says anything about the sale: print after the sale is recorded and
// offer a reprint when Print fails.
//
// The package has no global state: each Document and Printer is
// independent.
package escpos
