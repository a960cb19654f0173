package words

import "time"

// Words is one language's catalogue: every sentence the kiosk shows, in
// groups by where it is shown. Each field's comment says where, for the
// translator; a field's type says what its blanks hold.
type Words struct {
	Lang  Lang
	Punct Punct

	Sale     SaleWords     // the cashier's screens
	Settle   SettleWords   // the banner about sales left open
	Receipt  ReceiptWords  // the receipt, on screen and reprinted
	Paper    PaperWords    // what the receipt printer prints, and what the screens say of it
	Ledger   LedgerWords   // the manager's ledger of a day
	Detail   DetailWords   // one sale's details
	Refund   RefundWords   // the refund form
	PIN      PINWords      // changing the manager PIN on the kiosk
	Report   ReportWords   // the X and Z reports, on screen and printed
	Figures  FigureWords   // the labels of a day's totals
	Status   StatusWords   // the statuses of a sale and of a refund
	Keys     KeyWords      // what each key does, in the help lines
	Problem  ProblemWords  // errors, as Explain says them
	Input    InputWords    // a mistyped amount
	Reason   ReasonWords   // why a sale was cancelled
	Note     NoteWords     // the notes of a sale's history
	Time     TimeWords     // days and durations
	CLI      CLIWords      // the command line's tables and messages
	Checked  CheckedWords  // the problems kiosk ledger check finds
	Console  ConsoleWords  // kiosk api's answers, trace and pay strings
	Central  CentralWords  // head office's report, status and verification
	Usage    UsageWords    // kiosk help, and the command line's complaints
	Emulator EmulatorWords // the standalone emulator's banner
	Run      RunWords      // the process, stopped by a signal
	Log      LogWords      // kiosk log's lines: the JSON log's messages in words
	Doctor   DoctorWords   // kiosk doctor, kiosk keys gen, kiosk log's complaint, the retired sandbox
	System   SystemWords   // files and connections the command line could not use
	Config   ConfigWords   // what is wrong with the configuration file or a KIOSK_* variable
	KeyFault KeyFaultWords // what is wrong with a key file, in kiosk doctor and the configuration's complaints
}

// Punct is how the language joins its pieces.
type Punct struct {
	Sentences string // between two sentences: " " (Chinese: "")
	List      string // between the items of a list: ", " (Chinese: "、")
	Parts     string // between the parts of a line: " · "
	FullStop  string // what ends a sentence: "." (Chinese: "。")
}

// SaleWords are the cashier's screens: the amount, the QR code, the
// outcome.
type SaleWords struct {
	WindowTitle      string   // the terminal window's title
	Title            string   // the title bar, before the shop's name
	BadgeEmulator    string   // the title bar's badge on the emulator
	BadgeSandbox     string   // the title bar's badge on Alipay's sandbox
	HeadOfficeBehind F1[int]  // the title bar, when changes wait to go to head office
	Recovering       string   // while the sales the last run left open are settled
	Opening          string   // while the kiosk opens its ledger, keys and gateway, before any other screen
	AmountLabel      string   // above the amount field
	SubjectLabel     string   // above the subject field
	DefaultSubject   string   // the order title when neither the cashier nor the config gives one
	Optional         string   // after a field's label: " (optional)"
	EmulatorHint     string   // under the sale screen, on the emulator
	EmulatorHintCode string   // … when the customer shows a payment code
	Asking           F1[Yuan] // while the QR code is asked for
	QRBadLength      F1[int]  // a QR code that cannot be drawn: its text's length in bytes
	QRUndrawable     F1[int]  // a QR code the encoder refused: its text's length in bytes
	// TooSmall: the window's size does not hold the code; the sizes that
	// would (width×height, twice), then the window's.
	TooSmall         F6[int, int, int, int, int, int]
	ScanToPay        string
	Order            F1[string] // "Order K1_…", beside the code
	CustomerPage     string     // the emulator's page for the customer: its address follows, on the line or under it
	ConfirmQuit      string     // Ctrl+C during a sale
	ConfirmCancel    string     // Esc during a sale
	Cancelling       string
	Scanned          string
	WaitingForScan   string
	TimeLeft         F2[int, int] // minutes and seconds
	SimulationFailed F1[string]   // the emulated customer could not pay: why
	NextSale         string       // under a receipt or an outcome
	Cancelled        string       // an outcome's title
	Refunded         string
	Unknown          string
	Unrecorded       string
	OutcomeOrder     F1[string] // "order K1_…", beside the amount of an outcome

	// The way the customer pays, on the sale screen: PaysWith holds
	// WithQR or WithCode.
	PaysWith         F1[string]
	WithQR, WithCode string
	// The scan screen: the customer's payment code, scanned or typed.
	ScanLabel      string
	ScanEmulator   string   // before the keys that play the customer there
	Charging       F1[Yuan] // while alipay.trade.pay is out
	ConfirmOnPhone string   // the customer must confirm the charge on the phone
}

// SettleWords are the banner under the title about sales whose outcome
// was not known: left open by the last run, or settled in the
// background.
type SettleWords struct {
	RecoveryFailed F1[string] // why the sales left open could not be checked
	// Settled: sales, and the list of the parts that are not none
	// (AnsweredPaid…, joined by Punct.List).
	Settled Count1[string]
	// SettledSomeUnknown: sales, and the list of the parts that are not
	// none, SettledUnknown last.
	SettledSomeUnknown Count1[string]
	SettledUnknown     F1[int]    // how many are still unknown
	LastAnswer         F1[string] // what kept a sale unknown
	RecoveredReceipts  F1[string] // the list of Receipt
	Receipt            F3[int, Yuan, string]
	LateRefunds        F1[string] // the list of LateRefund
	LateRefund         F2[Yuan, string]
	RetryFailed        F1[string]
	// Waiting: sales or refunds still without Alipay's answer, and how
	// often they are asked again.
	Waiting        Count1[string]         // …how often the kiosk asks again (Words.Duration)
	WaitingBecause Count2[string, string] // …with the last answer between
	// Answered: settled, and the list of the parts below that are not
	// none (joined by Punct.List).
	Answered                                          Count1[string]
	AnsweredPaid, AnsweredCancelled, AnsweredRefunded F1[int] // how many of the settled were paid, cancelled, refunded
}

// ReceiptWords are the receipt on screen, and its reprint.
type ReceiptWords struct {
	Paid      string
	Duplicate string     // the badge of a reprint
	Late      string     // the mark of a receipt printed late: its sale was found paid at start-up or by the retry
	ReprintOf F1[string] // after the badge: the receipt's number
	LateOf    F1[string] // after the badge of a receipt printed late: its number
	Number    F1[int]    // a receipt's number, "No. 0007"
	None      string     // a sale without a receipt
	Reversed  string     // … one paid, then given back by the kiosk's cancel (a reversal)
	Receipt   string     // the labels of the receipt's fields
	Amount    string
	TradeNo   string
	Buyer     string
	PaidAt    string
	Order     string
	Subject   string
}

// PaperWords are the receipt printer's: the labels on the receipt, the
// refund slip and the report as they print (the receipt's own labels are
// ReceiptWords'), and what the screens say about printing.
type PaperWords struct {
	SaleTitle   string     // the heading of a receipt
	RefundTitle string     // the heading of a refund slip
	PaidBy      string     // the label of how it was paid
	Via         F1[string] // how it was paid: Alipay, by the way (Figures.ByQR, ByCode)
	LookUp      string     // under the QR code of the order number
	Thanks      string     // the receipt's last line
	// The refund slip's labels.
	RefundAmount, RefundedAt, SaleAmount, RefundedInAll, RequestNo, Reason, ApprovedBy string

	// What the screens say while a job prints and after.
	ReceiptPrinting, SlipPrinting, ReportPrinting string
	ReceiptPrinted, SlipPrinted, ReportPrinted    string
	// Not printed: why (one of the causes below).
	ReceiptNotPrinted, SlipNotPrinted, ReportNotPrinted F1[string]
	PrintAgain                                          F1[string] // the key that prints it again
	// The banner of a receipt that did not print, once its screen is gone:
	// its number and why.
	ReceiptNotPrintedLater F2[int, string]
	// At start, the receipts the ledger holds as not printed (their
	// numbers, listed) and how to print them, late; UnprintedOn is one
	// of an earlier day (its date, its number).
	StillUnprinted F1[string]
	UnprintedOn    F2[string, string]
	// The ledger could not record that a receipt did not print (its
	// number, why): after a restart it will not be named.
	UnprintedNotKept F2[int, string]
	// Why a job did not print, by what the printer driver found.
	NotConnected, Offline, OutOfPaper, CoverOpen, TimedOut, NoPermission, Failed string
}

// LedgerWords are the manager's ledger of a day, on screen.
type LedgerWords struct {
	Title      F1[string] // the date
	Today      string     // after the weekday of today
	Reading    string
	ReadFailed F1[string]
	NoLaterDay string // → on today
	Position   F2[int, int]
	NoSales    string
	// The table's headings.
	Time, ReceiptNo, Amount, Order, Status, TradeNo, Terminal string
	RefundPending                                             string            // after the status of a sale with a refund in flight
	Closed                                                    F1[int]           // in the title of a closed day: its Z report's number
	Scroll                                                    F3[int, int, int] // a long page's first and last line shown, of all

	// Hidden says the table left columns out to fit the window: which,
	// and the key that opens a sale's details, where they are.
	Hidden F2[string, string]
}

// DetailWords are one sale's details.
type DetailWords struct {
	Title         F1[string] // the order number
	Reading       string     // while the receipt is read for a reprint
	ReprintFailed F1[string]
	Refunds       string // a heading
	History       string // a heading
	RefundedOf    F1[Yuan]
	Store         F1[string] // after the terminal
	// The labels of the fields not on the receipt.
	Status, Refundable, Terminal, Created string
	NothingRefunded                       string     // what is refundable of a sale refunded in full
	NothingReversed                       string     // … of a reversed sale: all given back by the cancel
	NothingNotPaid                        F1[string] // … of a sale that is not paid: its status
	NothingLeft                           string     // … when refunds for all of it are done or on their way
	NoRefunds                             string
	GivenBack                             string // NoRefunds of a reversed sale: the cancel gave the payment back
	Unprinted                             string // the mark of a sale whose receipt did not print
	// The refunds table's headings.
	Amount, RefundStatus, Requested, ApprovedBy, RequestNo string
	RefundReason                                           F1[string]
	RefundDone                                             F1[string] // when Alipay confirmed it
}

// RefundWords are the refund form and its PIN prompt.
type RefundWords struct {
	Title         F1[string]
	Info          F3[Yuan, Yuan, Yuan] // the amount, refunded so far, refundable
	AmountLabel   string
	ApproverLabel string
	ApproverHint  F1[string] // the approver recorded when none is typed
	ReasonLabel   string
	ReasonExample string // the reason field's placeholder
	AtMost        F1[Yuan]
	PIN           string // the PIN prompt's label
	Summary       F3[Yuan, Yuan, string]
	SummaryReason F4[Yuan, Yuan, string, string]
	Sending       F1[Yuan]
	Wait          string
	DoneInFull    F2[Yuan, string]
	Done          F3[Yuan, string, Yuan]
	AfterClose    F1[int] // after Done: today is closed, by the Z report numbered
	ClosedAhead   F1[int] // before the refund: today is closed by that Z report, which will not hold it
	NotMade       F1[string]
	PINDigitsOnly string
	PINMissing    string
}

// PINWords are the screen that changes the manager PIN (the first is set
// at the command line, kiosk manager set-pin), and what the CLI shares.
type PINWords struct {
	Title        string
	Looking      string // while the kiosk looks whether a PIN is set
	ChangeIntro  string // a PIN is set: the current one first
	Current      string // the fields' labels
	New          string
	Again        string
	Differ       string
	Saving       string
	Changed      string
	TypeItNow    string // set at the command line while a refund or a close waited: now type it
	SetMeanwhile string // set beside the kiosk while the first PIN was chosen: type that one
}

// ReportWords are the day's X and Z reports.
type ReportWords struct {
	Z              F1[int] // Z REPORT No. 0007
	ZCopy          F1[int] // the stored Z report shown or printed again
	XClosed        F1[int] // an X report of a day closed in Z report No.
	XOpen          string
	XClosedPrinted F1[int] // the printed X report of a closed day
	XOpenPrinted   string
	Title          F1[string] // before the report is read: the date
	Making         string
	Failed         F1[string]
	Date           string // the heading's labels
	Terminal       string
	PrintedAt      string // when an X report was printed, on paper
	MadeAt         string // … when it was made, on the screen and the command line
	ClosedAt       string
	Totals         string // the headings of the blocks
	ByStatus       string
	ByHour         string
	ByMethod       string
	Hour           string // the hours table's headings
	Sales          string
	Paid           string
	Refunded       string
	NoSales        string
	EarlierRefunds F2[int, Yuan]
	AfterClose     F2[int, Yuan] // refunds done on a closed day after its close, counted here
	LaterRefunds   F2[int, Yuan] // on a Z copy: refunded since the day closed, not in it
	Unsettled      Count
	Confirm        F1[string] // close the day?
	// ConfirmToday asks to close today: no sale can be taken after it until
	// midnight. EarlierOpen points, when today has no sales yet, to the day
	// before still open with n sales (n, that day, that day again).
	ConfirmToday  F1[string]
	EarlierOpen   Count2[string, string]
	ClosePIN      F1[string]
	Closing       F1[string]
	ClosingWait   string
	NotClosed     F1[string]
	Closed        F1[int]
	AlreadyClosed string
}

// FigureWords label a day's totals, on screen and printed.
type FigureWords struct {
	Sales, Paid, RefundedInFull, RefundedInPart, Refunded, Net, Cancelled, Failed, Pending, Unknown string
	// The parts of the line of totals under the ledger.
	LineSales, LineCancelled, LineUnknown, LinePending, LineFailed F1[int]
	LinePaid, LineRefunded                                         F2[int, Yuan]
	LineInPart                                                     F3[int, int, Yuan] // the sales with money refunded, those in part, the money
	LineNet                                                        F1[Yuan]
	LineReversed                                                   F2[int, Yuan] // refunded without a receipt, apart
	// The split by the way the customer paid: the ways, then the headings.
	ByQR, ByCode                                                     string
	MethodSales, MethodPaid, MethodAmount, MethodRefunded, MethodNet string
}

// StatusWords name the statuses of a sale and of a refund, as the
// screens and the printed tables show them (CSV and JSON keep the
// ledger's own names).
type StatusWords struct {
	Pending, Paid, Cancelled, Refunded, Unknown, Failed      string
	RefundRequested, RefundDone, RefundUnknown, RefundFailed string
	// Reversed: refunded without a receipt ever issued (a reversal).
	Reversed string
	// TimedOut: a sale cancelled because the time to pay ran out (the
	// cashier's cancel, and the kiosk's others, are Cancelled).
	TimedOut string
}

// KeyWords say what each key does, in the help lines.
type KeyWords struct {
	StartSale, AmountSubject, NextField, CancelSale, YesCancel, NoKeepWaiting, CustomerPays, Quit string
	Ledger, BackToSelling, PrevDay, NextDay, OtherDay, Up, Down, PageUp, PageDown, First, Last    string
	ChooseSale, Scroll, Details, DayReport, Reprint, RefundIt, Continue, RefundNow, CancelRefund  string
	CloseDay, YesClose, No, AnyKey, CloseTheDay, KeepOpen, BackToLedger                           string
	CloseDayBefore                                                                                string // ← on the question to close an empty today
	PrintAgain, PrintReport                                                                       string
	PrintLate                                                                                     string // p on a sale whose receipt never printed
	ManagerPIN, NextPIN, SavePIN, KeepPIN                                                         string
	PINSetNow                                                                                     string     // with no PIN set: go on once one is set at the command line
	Any                                                                                           F1[string] // the help of "any key", around what it does (AnyKey)

	// The payment code: switch the way to pay, the scan screen's keys,
	// the emulated customer's codes, and the confirmation on the phone.
	PayWith, Charge, BackToAmount                        string
	CodePays, CodeConfirm, CodeExpired, CodeInsufficient string
	CustomerConfirms                                     string
}

// ProblemWords say what went wrong, and what to do.
type ProblemWords struct {
	// What a precreate without a trustworthy answer met, as a clause
	// before NotStarted; also what went wrong, without what to do, inside
	// a note that says what happens next.
	StartTimeout, StartBadSignature, StartMismatch, StartTransport, StartUnexpected string
	StartUnsigned, StartBusy, StartTaken, StartLost                                 F1[string]
	NotStarted                                                                      F1[string]
	StartAgain                                                                      string
	Codes                                                                           F2[string, string]         // Alipay's message and code
	AlipayBusy                                                                      F1[string]                 // the code
	Refused                                                                         F3[string, string, string] // the reason, the code, what to do
	ChargeRefused                                                                   F3[string, string, string] // … of a customer's payment code charged: as Refused
	NoReason                                                                        string                     // a refusal without a message
	TryAgain                                                                        string                     // what to do after a refusal without advice
	// Advice is, by Alipay's sub code, the reason and what to do.
	Advice map[string]Advice

	// Alipay's own reason, for a code without Advice: its sub_msg (Alipay
	// writes it in Chinese), its msg (in English: "Business Failed");
	// marked as Alipay's text wherever it is not in the screen's language.
	SubMsgSaid, MsgSaid F1[string]

	NoPIN, RefundPending, NoReceipt, LedgerInUse, LedgerBusy, LedgerDamaged, Ledger, Mismatch string
	DayClosed                                                                                 F3[string, string, int] // the day, the time of its close, its Z report's number
	BadSignature, Timeout, Transport, Unexpected                                              string
	Unreachable                                                                               string // Transport's reason alone, inside another sentence
	Unsigned, Other                                                                           F1[string]
	BadRequest                                                                                F1[string] // what in it Alipay would refuse

	WrongPIN       Count1[string]          // tries left, for how long the PIN then locks
	WrongPINLocked F2[string, string]      // how long, until when
	PINLocked      F3[int, string, string] // tries, how long still, until when
	PINNotDigits   F2[int, int]
	PINTooShort    F3[int, int, int]
	PINTrivial     string
	PINSet         string // a change without the current PIN, where one is set

	RefundSaleRefunded F1[string]
	RefundNotPaid      F2[string, string]
	RefundNotPositive  F3[Fen, Fen, string]
	RefundBeyond       F5[string, Fen, string, Fen, Fen]
	RefundTooLarge     F3[Fen, Fen, string]

	// A scan that is no Alipay payment code: nothing, not digits only, a
	// length outside the payment codes' (its length, theirs from and to),
	// digits not beginning as Alipay's do.
	PaymentCodeEmpty, PaymentCodeNotDigits, PaymentCodePrefix string
	PaymentCodeLength                                         F3[int, int, int]
}

// Advice is what a refusal of Alipay's means, and what to do.
type Advice struct{ Reason, Then string }

// InputWords say what is wrong with a typed amount.
type InputWords struct {
	Missing, TooLong, Decimals, TooSmall, TooLarge string
	NotANumber                                     F1[string] // what was typed
}

// ReasonWords say why a sale was cancelled.
type ReasonWords struct {
	Cashier, Timeout, AlipayClosed, KioskClosed, Recovered, Rechecked string
	Stopped                                                           F1[string] // the signal
	ChargeLost                                                        string     // the answer to a payment-code charge was lost
}

// NoteWords are the notes of a sale's history and of its outcome.
type NoteWords struct {
	PaidJustInTime, ClosedRefunded, Closed      string
	Cancelled, RefundedTold, RefundedLastSecond F1[string]         // the reason
	CancelUnconfirmed, RefundedUnseen           F2[string, string] // the reason, what went wrong
	NotifiedCancelled                           F1[string]
	ChargeUnconfirmed                           F1[string] // what went wrong

	// What the ledger recorded (pos.Fact), each a sentence.
	Created string
	Paid    F1[string] // the receipt number, "0001"
	// Why the payment goes back to the customer, after Paid.
	DueAfterCancel, DueAfterFailure, DueToldNothingCharged string
	RefundRequested                                        F2[string, Yuan]             // the refund's number, its amount
	RefundApprovedBy                                       F1[string]                   // who approved it
	RefundBecause                                          F1[string]                   // the manager's reason, as typed
	RefundDone                                             F4[string, Yuan, Yuan, Yuan] // number, amount, the sale's refunds so far, its amount
	RefundDoneAfterFailed                                  string
	RefundFailed, RefundUnknown                            F2[string, Yuan] // number, amount; the note says why
	// The receipt (its number, "0001") did not print; it printed after that.
	ReceiptNotPrinted, ReceiptPrinted F1[string]
	// Who approved a refund, when the kiosk recorded it: the manager (no
	// name given), a reconciliation (a refund made outside the kiosk).
	ApprovedByManager, ApprovedByReconcile string
}

// TimeWords are days and durations.
type TimeWords struct {
	Weekdays       [7]string // Sunday first
	Milliseconds   F1[int]
	Seconds        F1[int]
	Minutes        Count
	MinutesSeconds F2[int, int]
}

// CLIWords are what kiosk ledger and kiosk manager print.
type CLIWords struct {
	WantTableJSONCSV string // the formats a command offers, in BadFormat
	WantTableJSON    string
	WantTextJSON     string             // kiosk log's formats
	BadFormat        F2[string, string] // the format given, those offered
	FormatFlag       F2[string, string] // --format given, those offered: a usage error
	DateAndRange     string             // --date with --from or --to
	ToWithoutFrom    F1[string]         // --to alone: its day

	// kiosk ledger's table of a day, and of a range of days.
	SalesOn                                                                      F1[string]
	NoSales                                                                      string
	NoDays                                                                       string
	SalesFrom                                                                    F2[string, string]
	Days                                                                         Count
	Time, ReceiptNo, Order, Status, Amount, Refunded, TradeNo, Terminal, Subject string // the headings
	Date, Sales, Paid, PaidAmount, Net, Cancelled, Unsettled                     string
	LeftOut                                                                      F1[string] // the columns a narrow terminal left out
	WholeTable                                                                   string     // how to see every column in full
	WholeChain                                                                   string     // the same, of head office's table
	Method, ByQR, ByCode                                                         string     // how a sale was paid: the heading, scanned, the buyer's payment code

	// Under a closed day's table: its Z report's number, the refunds made
	// since it closed (counted in the table, not in that report).
	RefundedSinceZ F3[int, int, Yuan]

	// kiosk ledger check.
	CheckDamaged   F2[string, string] // the file, its size
	CheckMissing   F1[string]         // the file: damaged, for it is not there
	CheckNoLedger  F1[string]
	CheckLedger    F2[string, string]
	CheckSales     Count
	CheckDays      Count1[string] // the days, "from to"
	CheckDayRange  F2[string, string]
	CheckOpen      F2[int, int] // unsettled, refunds in flight
	CheckZ         Count
	CheckLastZ     F1[int]
	CheckPINSet    string
	CheckPINNotSet string
	CheckProblem   F1[string] // one problem, in a list
	CheckNote      F1[string]
	BackupIsLedger F1[string] // the backup's file
	NoDataDir      F1[string] // the data directory given
	DataDirDenied  F1[string]
	DataDirIsFile  F1[string]
	DataDirOther   F2[string, string]           // …and the system's message
	BadDate        F1[string]                   // the date given
	BadDateFlag    F2[string, string]           // the flag that gave it, the date
	RangeBackwards F2[string, string]           // --from, --to
	RangeTooLong   F4[string, string, int, int] // --from, --to, its days, the most read at once
	FutureDay      F3[string, string, string]   // the date asked for, today, the shop's zone
	CheckOK        F1[string]                   // how long: Words.Duration
	CheckFound     Count
	CheckMore      F1[int]
	Bytes          Count
	KiB, MiB       F1[float64]
	HasProblems    Count1[string] // the problems, the directory

	// After a check that found the ledger file gone or damaged.
	CheckFix F3[string, string, string] // the file, Missing, Empty or Damaged, what to do
	Damaged  string

	// kiosk ledger backup.
	BackupExists F1[string]
	BackedUp     F3[string, string, int64]

	// The ledger file in trouble, as the command line says it.
	RestoreAdvice  string
	MissingLedger  F3[string, string, string] // the file, Missing or Empty, the evidence
	Missing, Empty string
	RunningKiosk   string             // what shows a ledger was there when no file does: the kiosk that had it open
	NewLedger      F2[string, string] // MissingLedger's text, StartAfresh
	StartAfresh    F1[string]         // RestoreAdvice, and --new-ledger beside it
	DamagedLedger  F4[string, string, string, string]
	InUse          F1[string]
	LedgerZone     F4[string, string, string, string] // the directory, the zone it records, the zone configured, the recorded again

	// kiosk manager set-pin.
	NewPIN     string
	PINAgain   string
	CurrentPIN string
	PINChanged string
	PINsDiffer string
	PINTwice   string
	PINSet     string
	// kiosk manager set-pin --reset: done; what a pipe ran short of.
	PINReset, PINTwiceReset string

	// kiosk ledger reconcile.
	TheLedger                        string
	HeadOffice                       string
	Differ                           Count2[string, string] // the differences, whose, the day
	Incomplete                       F2[string, string]     // whose, the day: not every sale or the bill could be compared
	NoBill                           F1[string]
	NoBillYet                        string
	BillUnread                       F1[string]
	BillFailed                       F1[string] // the bill could not be had: why (not "no bill")
	BillChecked                      F1[string]
	Trades                           Count
	SalesCount                       Count
	Differences                      Count
	Unqueried                        Count  // after Differences: the sales Alipay could not be asked about
	NotCompared                      string // over their list, apart from the differences
	Reconciled                       F3[string, string, string]
	LedgerCol, AlipayCol, ProblemCol string
	NotFound, NotAsked               string // Alipay's side of a difference
	// What was wrong with Alipay's bill (pos.BillFault), said in
	// BillUnread: each kind, then where (BillAt: the kind, the place),
	// the place's parts (the file in the zip as it is named, its line, the column), and
	// a download that gave no zip (the host; with the HTTP status).
	BillNotZip, BillZipDamaged, BillFileMissing, BillFileTwice, BillTooLarge string
	BillTruncated, BillHeader, BillField, BillTotals, BillFaultOther         string
	BillAt                                                                   F2[string, string]
	BillInColumn                                                             F1[string]
	BillAtLine                                                               F1[int]
	BillPlaceSep                                                             string
	BillNotDownloaded                                                        F1[string]
	BillDownloadStatus                                                       F2[string, int]
	// Alipay's trade and refund statuses, worded, on Alipay's side.
	AlipayWaiting, AlipayPaid, AlipayFinished, AlipayClosed, AlipayRefunded string
	// The differences, as Issue says them.
	IssueNotAsked           F1[string]
	IssueOnlyInBill         string
	IssueUnsettled          F1[string]
	IssueAmounts            F2[Fen, Fen]
	IssuePaidOnlyInLedger   string
	IssueRefundOnlyInLedger string
	IssueAlipayPaid         F1[string]
	IssueAlipayOpen         F1[string]
	IssueRefundOnlyAtAlipay F2[Fen, string] // the refund, its number
	IssueAlipayRefunded     F1[Fen]         // what went back
	// Where Alipay's refunds were learnt.
	RefundsFromBill    Count // the bill's refunds
	RefundsFromQueries string
	// What to do about each difference, under the table.
	TodoHeader             string
	TodoLine               F2[string, string] // the order number, what to do
	TodoNotAsked           string             // Alipay could not be reached (timeout, transport)
	TodoNotAskedSignature  string             // an answer whose signature did not verify
	TodoNotAskedGateway    string             // an unsigned or unreadable answer
	TodoNotAskedRefused    string             // Alipay refused the query: its reason is the problem's
	TodoNotAskedLater      string             // any other reason (Alipay busy)
	TodoOnlyInBill         string
	TodoUnsettled          string
	TodoAmounts            F1[string] // the order number
	TodoPaidOnlyInLedger   F1[string]
	TodoRefundOnlyInLedger F1[string]
	TodoAlipayPaid         F1[string]
	TodoAlipayOpen         F1[string]
	TodoApply              string // a refund --apply records
	TodoRefundElsewhere    string // a refund in full the reconciliation cannot name
	// --apply.
	ApplyNothing string
	ApplyPIN     string         // the prompt
	ApplyNoPIN   string         // no PIN on standard input
	Applied      Count1[string] // refunds recorded, the day's net after

	// CSV is kiosk ledger --format csv's header row.
	CSV CSVWords
}

// CSVWords name the CSV's columns. The CSV is for the accountant's
// spreadsheet, so it speaks the language: its header and its statuses
// follow it, its columns' order and their cells' formats (times, amounts
// in yuan, numbers) never change. English's names are the columns' names
// from before there was a second language, which scripts read; JSON's keys
// never change.
type CSVWords struct {
	Time, ReceiptNo, OutTradeNo, Status, Amount, TradeNo, TerminalID, Subject string
	RefundedAmount, ApprovedBy, PaidAt, RefundReason                          string
	StoreID                                                                   string // kiosk central ledger's last column
	// Method is the last column: how the sale was paid, MethodQR or
	// MethodCode (in English the ledger's own names, qr and payment_code).
	Method, MethodQR, MethodCode string
}

// ConsoleWords are what kiosk api prints beside the answers.
type ConsoleWords struct {
	NeedsOrder       F1[string] // the method
	AmountRequired   string
	Amount           F1[string] // what is wrong with --amount
	RefundNeedsNo    string
	Discarded        string             // an answer that did not verify, and what to do
	CallFailed       F2[string, string] // what went wrong (Words.Explain), what the system said
	AppKey           F2[string, string] // the file, what it holds
	Warning          F1[string]
	AlipayKey        F2[string, string]
	NothingSent      string
	Signed           F2[string, string] // the method, its sign_type; the string follows
	Sign             string             // the signature follows
	RawResponse      F1[string]         // the HTTP status; the answer follows
	AuthUnreadable   F1[string]
	SignedV3         F2[string, string] // the HTTP method and the URI; the string follows
	RequestHeaders   string
	ResponseCovers   string
	NotifyUnreadable F1[string]
	NotifyUnverified F1[string]

	// Why a notification is refused (pos.NotificationError's Problem),
	// said inside NotifyUnreadable or NotifyUnverified: not a form Alipay
	// could send, no sign, a signature that does not verify (its
	// sign_type), a sign_type refused (it), a field unlike the
	// configuration's or the sale's (the field, what it says, what we
	// expect), an out_trade_no not ours.
	NotifyMalformed, NotifyNotSigned, NotifyUnknownTrade string
	NotifyBadSignature, NotifyWrongSignType              F1[string]
	NotifyUnlikeConfigured, NotifyUnlikeSale             F3[string, string, string]

	// Verified: notify_type, trade_status, out_trade_no, the amount, and
	// what was checked beside the signature and the app (CheckedSeller,
	// CheckedAmount).
	Verified      F5[string, string, string, Fen, string]
	CheckedSeller string
	CheckedAmount string

	// kiosk api pay's --auth-code: missing, or no payment code (why).
	AuthCodeRequired string
	AuthCode         F1[string]
	AuthDigits       string            // what is wrong with it, for a developer
	AuthLength       F3[int, int, int] // its digits, the fewest and most a code has
	AuthPrefix       string
	// kiosk api pay: the charge waits for the customer to confirm it.
	WaitingForBuyer string
	// kiosk api query (cancel, close, refund…) of an order Alipay has no
	// trade of: not yet scanned, or a wrong number; for a developer.
	NoTradeYet string
	// kiosk emulator confirm: the customer confirmed the code's charge.
	Confirmed F1[string]

	// The App-pay order string and the page and WAP pay URLs.
	InvalidOrder F1[string]
	// The legacy MD5 notification: trade_status, out_trade_no, total_fee,
	// seller_id, and CheckedFee when --amount was checked.
	MD5Verified  F5[string, string, Fen, string, string]
	CheckedFee   string
	MD5AskAlipay F2[string, string] // notify_id, the URL
	MD5BadKey    string
	MD5KeyFile   F2[string, string] // the file, why it cannot be read
	MD5NeedsKey  string             // verify-md5 without --key-file
}

// CentralWords are what kiosk central prints.
type CentralWords struct {
	Title                                  F3[string, string, string] // the date, Terminals, Stores
	NoTerminals                            string
	Store, Terminal, Day, LastChange       string // headings
	Terminals, Stores                      Count
	Chain                                  string // the chain's line
	Open                                   string // a day not closed
	ZDay                                   F1[int]
	Never                                  string // no value, no time
	NothingSent                            string
	Events, Behind, LastContact, SilentFor string // headings
	BehindMeans                            string
	NoOutbox                               F1[string]
	Verified                               Count4[string, string, string, int] // events, the directory, the ledger, the terminals, held
	NotSent                                F1[int]
	NoDifferences                          string
	Differences                            Count
	Difference                             F2[string, string] // where, what
	Event                                  F1[uint64]
	More                                   F1[int]
	Differ                                 Count1[string] // the differences, the directory

	// What a difference is, one sentence a kind (pos.ChainDiffKind).
	DiffInLedger         F1[string] // what is wrong in the ledger's outbox: one of the Outbox sentences
	DiffUnreadable       F1[string] // the reader's words
	DiffConfirmedMissing string
	DiffOtherContents    string
	DiffNeverWritten     string
	DiffExtraEvents      F2[int, string] // how many, the terminals
	DiffSaleNoEvent      string
	DiffSaleNotLatest    F1[uint64] // the sale's latest event at head office
	DiffSaleNotListed    string
	DiffClosedByOther    F1[string] // the day
	DiffClosingNotListed F1[string] // the day

	// What is wrong in the ledger's outbox (pos.OutboxKind).
	OutboxMarkBeyond  F2[uint64, uint64] // head office's mark, the last event
	OutboxSaleNoEvent F1[string]         // the sale
	OutboxSaleDiffers F1[string]         // the sale
	OutboxOrphan      F1[string]         // the sale
	OutboxGap         F2[uint64, uint64] // the first event missing, the last
	OutboxShort       F2[uint64, uint64] // the last event there, the events issued
}

// UsageWords are kiosk help, the flags' meanings, and the complaints
// about the command line and about what a command needs.
type UsageWords struct {
	Header, Footer string
	// What each command does, by the words that name it.
	Counter, Ledger, LedgerReport, LedgerReconcile, LedgerCheck, LedgerBackup, ManagerSetPIN string
	EmulatorServe, EmulatorPay, APIVerifyNotify, APIAppPay, APIPagePay, APIWapPay            string
	API                                                                                      F1[string] // the methods
	APIMethod                                                                                F1[string] // Alipay's name of the method
	APIVerifyMD5, CentralReport, CentralLedger, CentralStatus, CentralReconcile              string
	CentralVerify                                                                            string
	Log, KeysGen, Doctor                                                                     string
	EmulatorBuyerCode, EmulatorConfirm                                                       string

	// What each flag means; the value's name goes between back quotes.
	FlagConfig, FlagData, FlagDate, FlagFrom, FlagTo, FlagBOM, FlagStore, FlagTerminal               string
	FlagFormat                                                                                       F1[string] // the formats, "table|json"
	FlagAmount, FlagSubject, FlagOutTradeNo, FlagTradeNo, FlagOutRequestNo, FlagReason, FlagVerbose  string
	FlagApply                                                                                        string
	FlagResetPIN                                                                                     string // manager set-pin --reset
	FlagTimeout, FlagProtocol, FlagForce, FlagAddr, FlagKeys, FlagFaults, FlagState, FlagNotifyScale string
	FlagEmulatorLog                                                                                  string // emulator serve --log
	FlagPayAddr, FlagNotifyAmount, FlagAllowRSA, FlagQRTimeout, FlagPollInterval, FlagNewLedger      string
	FlagPayOutTradeNo, FlagNotifyURL, FlagReturnURL, FlagQuitURL, FlagTimeoutExpress                 string
	FlagKeyFile, FlagPartner, FlagMD5Gateway, FlagFeeAmount                                          string
	FlagFollow, FlagKeysDir, FlagDoctorTimeout                                                       string
	FlagAuthCode, FlagCodeConfirm, FlagCodeInsufficient, FlagCodeExpired, FlagCodeRisk               string

	Synopsis          F1[string] // a command's synopsis, after -h
	UnknownCommand    F1[string]
	DidYouMean        F2[string, string]     // an unknown command, the likely ones it meant
	Or                string                 // between the last two of those
	NoArguments       F2[string, string]     // the command, the first argument
	WrongArguments    Count2[string, string] // how many it got, the command, what it takes
	BackupArguments   F1[int]
	PayArguments      string
	ConfirmArguments  string
	OneCodeKind       string             // emulator buyer-code given two kinds of code
	NeedsSubcommand   F2[string, string] // the group, its subcommands
	UnknownSubcommand F3[string, string, string]
	EmulatorSubs      string
	CentralSubs       string
	KeysSubs          string
	ManagerNeeds      string
	APINeeds          F1[string] // the methods
	UnknownMethod     F2[string, string]
	APINeedsConfig    string
	VerifyNeedsConfig string
	PayNeedsConfig    F1[string] // the subcommand
	Faults            F1[string]
	// What is wrong in --faults' spec (emulator.FaultSpecProblem): the
	// item; the key; the key and the keys there are; the key=value; the
	// sum of the rates; the method and the methods there are.
	FaultNotKeyValue, FaultGivenTwice              F1[string]
	FaultUnknownKey, FaultUnknownMethod            F2[string, string]
	FaultBadRate, FaultBadDuration, FaultBadNumber F1[string]
	FaultNegative                                  F1[string]
	FaultRatesSum                                  F1[string]
	Listen                                         F2[string, string]
	LogFile                                        F2[string, string] // emulator serve --log's file, the system's reason
	NoEmulator                                     F1[string]
	NoHeadOffice                                   string
	ReconcileFilters                               string
	ReconcileGateway                               F1[string]
	NotATerminal                                   string
	DataDir                                        F2[string, string]
	NotifyAddr                                     F2[string, string]
	Warning                                        F1[string] // a set-up problem the kiosk runs despite, printed before the screen starts

	// The language: --lang's meaning (the tags, "en|zh"), and the complaint
	// about a language the kiosk does not speak (where it was given: --lang,
	// KIOSK_LANG or lang; the value; the tags).
	FlagLang F1[string]
	BadLang  F3[string, string, string]

	// A command's flags, as --help describes them and as they are refused.
	UnknownFlag    F2[string, string]         // the flag, the command
	FlagNeedsValue F2[string, string]         // the flag, the command
	BadFlagValue   F2[string, string]         // the flag, why its value is refused
	NotFlagValue   F3[string, string, string] // a value a flag does not take, the flag, the command
	BadFlag        F2[string, string]         // the flag package's complaint, the command
	BadDuration    F1[string]                 // a length of time that is none
	FlagDefault    F2[string, string]         // a flag's meaning, its default
	GroupFooter    F1[string]                 // under the commands a word begins: the word
	// kiosk --version: the module's version, the commit (Modified after
	// it when the tree had changes), when it was committed, the Go
	// version; NoCommit when the build recorded no commit.
	Version   F4[string, string, string, string]
	NoCommit  F2[string, string] // the module's version, the Go version
	NoVersion string
	Modified  string
}

// EmulatorWords are the standalone emulator's banner.
type EmulatorWords struct {
	ListensOn   F2[string, string] // its address, its gateway's
	KeysCreated F2[string, string] // the directory, the kiosk.toml
	KeysLoaded  F2[string, string]
	Trades      F2[string, string] // its page, its address
	StopHint    string
	Stopped     string     // said when Ctrl+C (or SIGTERM) stopped it
	StoppedKept F1[string] // the same, with --state: the file that keeps its trades
	Paid        F1[string]
	PaidAmount  F2[string, string] // the amount (¥9.90), out_trade_no: what the emulator answered kiosk emulator pay

	// The comments of the kiosk.toml serve writes (emulator.ConfigWords).
	ConfigWrittenBy F1[string] // the command that runs a kiosk on it
	ConfigProtocol  string     // beside the commented-out protocol = "v3"
	// The serve's terminal line of its record "emulator listening".
	LogListening F1[string] // the emulator's URL

	// The serve's line per call on the terminal.
	LogZone F1[string] // the zone of the lines' times
	LogFile F1[string] // where the JSON log goes
	LogOK   string     // a call Alipay's code 10000 answered
	// LogLevels name a record's level above INFO: "WARN", "ERROR".
	LogLevels map[string]string
	// LogSays is, by the emulator's record message (as the JSON log keeps
	// it), what the terminal line says; a message not here is shown as
	// it is.
	LogSays map[string]string

	// Page is the customer's pages, which play the customer's Alipay app.
	Page EmulatorPageWords
	// Index is the emulator's own page at /, for developers.
	Index EmulatorIndexWords
}

// EmulatorPageWords are the words of the emulator's pages that play the
// customer's Alipay app (the page a scanned QR code opens, a payment
// code's page): the fields of emulator.PageWords, one for one, which main
// converts them to. A %s takes what the comment names.
type EmulatorPageWords struct {
	HTMLLang string // the pages' lang attribute: "en", "zh-CN"
	Brand    string // the app the page plays
	PayTitle string // the QR page's title: %s the merchant

	Order, Trade, Buyer, PaidAt, Refunded, Amount string // the order's facts

	Paid           string
	RefundedAll    string // the whole payment went back
	Closed         string // the order can no longer be paid
	Expired        string // the QR code can no longer be paid
	Declined       string // the customer declined; the order still waits
	Pay            string // the button: %s the amount
	Decline        string // the button
	CodeTitle      string // a payment code's page
	KindLabel      string // how the emulated code answers
	ShowCode       string // show the code to the cashier
	AsksConfirm    string // %s the merchant
	Confirm        string // the button: %s the amount
	Refused        string // %s Alipay's reason
	ClosedUnpaid   string // closed before the customer confirmed
	KindPay        string // the kinds of code, as the customer's page says them
	KindConfirm    string
	KindLowBalance string
	KindExpired    string
	KindRisk       string
	// DefaultShop is the merchant the pages name when the kiosk has no
	// shop_name.
	DefaultShop string
}

// EmulatorIndexWords are the words of the emulator's page at /, the
// developers' list of trades and buyer codes: the fields of
// emulator.IndexWords, one for one, which main converts them to. app_id
// stays; a trade's status is in words, the page keeps Alipay's name
// beside it. A %d takes what the comment names.
type EmulatorIndexWords struct {
	HTMLLang string // the page's lang attribute: "en", "zh-CN"
	Title    string // the page's title, and the brand above the merchant
	Gateway  string // the gateway's label
	Faults   string // the faults injected, labelled

	Created, Subject, Amount, Refunded, Status string // the trades' columns
	OutTradeNo                                 string // the order number's column (the codes' too)
	// A trade's status in words: not scanned yet (the emulator's
	// PRECREATED), WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED. The page
	// keeps Alipay's name beside them, for developers.
	StatusPrecreated, StatusWaiting, StatusPaid, StatusClosed string

	OpenAsBuyer string // a trade's link: opening it scans the QR code
	QRExpired   string // after a trade's status
	WasRefunded string
	ByCode      string // paid by the buyer's payment code
	More        string // %d the older trades not shown
	NoTrades    string

	CodesTitle string // the buyer payment codes' card
	CodesIntro string

	Issued, Code, Kind, State string // the codes' columns

	Unused, Waiting, Paid, RefundedCode, Closed, Refused string // where a code stands
}

// LogWords are kiosk log's text lines of the JSON log, which itself stays
// English (its message keys and attribute names never change): each
// record's level and message, and the hints some records carry, said in
// the language. Attribute names stay as the JSON writes them.
type LogWords struct {
	// Levels name a record's level: "DEBUG", "INFO", "WARN", "ERROR".
	Levels map[string]string
	// Says is, by the message key the JSON log keeps (logger.Info("kiosk
	// started", …)), what the line says. The embedded emulator's messages
	// are in Emulator.LogSays.
	Says map[string]string
	// Hints is, by the value of a record's "hint" attribute, what the line
	// says instead.
	Hints map[string]string
	// Unknown is a message neither table has: %s the message as it is.
	Unknown F1[string]
}

// RunWords are what the process says as it stops.
type RunWords struct {
	StopTimeout F1[time.Duration]
	PaidAtStop  F1[int] // the receipt's number: the sale on screen the stop found paid
}

// DoctorWords are kiosk doctor's lines, one per check (what was found and,
// for a problem, what to do), kiosk keys gen's instructions, and the
// warning about the retired sandbox. Setting names (app_id,
// app_private_key, …), commands and Alipay's console labels (应用公钥,
// 支付宝公钥) stay as they are written: the reader types or looks for them.
type DoctorWords struct {
	// kiosk keys gen.
	KeysWrote           F2[int, string]    // bits, directory
	KeysPrivate         F2[string, string] // path, format
	KeysPublic          F1[string]
	KeysPaste           string
	KeysSandbox         F1[string] // the console's URL
	KeysProduction      F1[string]
	KeysSaveAlipay      F1[string] // where to save Alipay's key
	KeysConsoleHolds    string     // a comment in the config shown
	KeysAppID           string     // the comment on app_id's placeholder
	KeysGateway         F1[string] // the comment on the sandbox's gateway; production's URL
	KeysThen            string
	KeysExist           F1[string] // the files, joined by And
	KeysDirIsFile       F1[string] // --dir
	KeysNeedDir         string     // keys gen without --dir
	And                 string     // between two files
	NoLogYet            F1[string]
	OnEmulator          F1[string]         // kiosk doctor of no gateway: what names none (no config, or the config's file)
	NoConfig            string             // OnEmulator's what without a config
	OnEmulatorSettings  F2[string, string] // the zone, the protocol
	OnEmulatorPassed    string
	OldSandbox          F2[string, string] // the old gateway, the new
	Heading             F4[string, string, string, string]
	NoGatewaySet        F1[string] // under the heading when the config sets no gateway; the sandbox's URL
	AllPassed           string
	NoProblemButSkipped Count
	ProblemsToFix       Count
	CouldNotCheck       Count // the error kiosk doctor ends with
	FoundProblems       Count
	// The mark at the start of a check's line: passed, failed, skipped
	// (padded to the widest, by display width).
	MarkPass, MarkFail, MarkSkip string
	// The kinds of gateway.
	Production, Sandbox, Emulator string
	// The checks as a skipped line names them (the others by their setting).
	NameNotAppKey, NamePermissions, NameGatewayURL, NameGateway, NameClock, NameSignedCall string
	SkippedNoDate                                                                          string
	SkippedUntil                                                                           F2[string, string]

	NotAppKeyPass   string
	NotAppKeyFail   F1[string]
	PermissionsPass F2[string, string]         // path, mode
	PermissionsFail F3[string, string, string] // path, mode, path
	GatewayURL      F2[string, string]         // URL, kind
	GatewayAnswers  F2[int, string]            // how long: Words.Duration

	// A key file's problems: the setting, the path, and what belongs there.
	NotSet          F2[string, string]
	Unreadable      F3[string, string, string]         // setting, path, why (KeyFaultWords)
	PublicGiven     F4[string, string, string, string] // setting, path, format, want
	PrivateGiven    F4[string, string, string, string]
	NotRSA          F4[string, string, string, string]
	Weak            F4[string, string, string, string] // …what is wrong (KeyFaultWords), want
	Malformed       F4[string, string, string, string] // …what is wrong (KeyFaultWords), want
	KeyOther        F3[string, string, string]
	AppKeyPass      F3[string, string, int]
	AppKeyWant      string
	ConsolePass     F1[string]
	ConsoleMismatch F1[string]
	ConsoleWant     string
	CertsPass       F2[string, int]
	AlipayKeyPass   F3[string, string, int]
	Certificates    F1[string]
	CertMismatch    F1[string]
	AlipayKeyWant   string

	// Why what (the gateway, notify_url) got no answer, at host.
	Gateway, NotifyURL                                string // what
	DNS, ConnRefused, NoRoute                         F2[string, string]
	Timeout                                           F3[string, string, string]
	TLSCertificate, TLS                               F3[string, string, string]
	NoAnswer                                          F3[string, string, string]
	ClockPass                                         F1[string]
	ClockAhead, ClockBehind                           F1[string]
	SignedPass                                        F2[string, string] // protocol, order
	InvalidAppID                                      F2[string, string] // app_id, what Alipay said
	SandboxAppOnProd                                  F2[string, string]
	ProdAppOnSandbox                                  F3[string, string, string] // …the sandbox console
	RequestSignature                                  F1[string]
	AnswerUnsigned, CertificateSN, NoAppID            string
	AnswerSignature                                   F3[string, string, string] // the setting (alipay_public_key or alipay_cert), its file, app_id
	AnswerSignatureEmulator                           F2[string, string]         // the setting, its file: the emulator's answer
	AlipayRefused                                     F2[string, string]         // what Alipay said, the advice
	NotAGateway                                       F2[string, int]
	NotAGatewayErr                                    F2[string, string]
	SignedOther                                       F1[string]
	AdviceNoPermission, AdviceTimestamp, AdviceLookUp string
	NotifyPassListened                                F2[string, string] // URL, notify_addr
	NotifyPassKiosk                                   F1[string]
	NotifyNotPublic                                   F3[string, string, string]
	NotifyElsewhereListened, NotifyElsewhere          F3[string, int, string]
	NotifyMustLead                                    F1[string]
	NotifyOther                                       F2[string, string]
	// The receipt printer's check (the printer's address first): it
	// answered ready (and how long its status was given), it was reached
	// but its status is not asked (printer_skip_status), nothing answers
	// (why), it never answered its status (how long it was given), it
	// answered that it cannot print (why: PaperWords' causes).
	PrinterReady            F2[string, string]
	PrinterNotAsked         F1[string]
	PrinterUnreachable      F2[string, string]
	PrinterNoStatus         F2[string, string]
	PrinterNotReady         F2[string, string]
	NamePrinter             string
	OnEmulatorPrinterFailed string // the summary on the emulator, when the printer's check failed
}

// ConfigWords say what is wrong with a setting of the configuration file
// or of its KIOSK_* variable; the setting's name stays as written.
type ConfigWords struct {
	File               F1[string]                 // "config FILE", before what is wrong with it
	Line               F3[string, int, string]    // the file, the line, what is wrong there
	Env                F2[string, string]         // the KIOSK_* variable, what is wrong with its value
	UnknownSetting     F3[string, string, string] // the file, the setting, DidYouMean or Known
	DidYouMean         F1[string]
	Known              F1[string] // the settings there are
	NotBool            F1[string]
	TimeZone           F1[string]
	Gateway            F1[string]
	Lacks              F1[string] // the settings missing, joined by And
	And                string
	Key                F3[string, string, string]         // the setting, its file, what is wrong (KeyFaultWords)
	KeyWithFix         F4[string, string, string, string] // …and what to do (WeakAppKey, WeakAlipayKey)
	WeakAppKey         string                             // what to do about a key too short
	WeakAlipayKey      string
	PublicKeyGivenFix  string // what to do about a public key given for the app's private key
	PrivateKeyGivenFix string // …a private key given for Alipay's public key
	NotRSAFix          string
	MalformedFix       string
	SignType           F1[string]
	Protocol           F1[string]
	KeyOpen            F3[string, string, string] // the key, its mode, the key
	CertMode           string                     // before what is wrong with the certificates
	Cert               F2[string, string]         // CertMode, what is wrong (KeyFaultWords)
	NotifyTogether     string
	NotifyURL          F1[string]
	NotifyAddr         F1[string]
	PrinterAddress     F2[string, string] // the address, why (PrinterWhy)
	PrinterWhy         PrinterAddressWords
	PrinterPaper       F1[string]
	PrinterNeeded      string
	AppKeyAsAlipayKey  F1[string]                                 // alipay_public_key's file
	QRTimeoutRange     F3[string, string, string]                 // qr_timeout, the least, the most
	PollIntervalRange  F3[string, string, string]                 // poll_interval, the least, qr_timeout
	CallTimeoutRange   F5[string, string, string, string, string] // the setting, its value, the least, the most, its default

	// What is wrong at a place in the config file (main's configError),
	// found in the file, not in the TOML parser's message: Syntax is the
	// file, the line, the column and what; Whole the file and what, for
	// a setting whose line is not known. Text without quotation marks
	// (the setting, the text), a quotation mark not closed, a setting
	// set twice (the setting, its first line), a setting without "="
	// (the setting); SyntaxOther quotes the parser's message. SettingType:
	// the setting, WantText or WantBool, Has…
	Syntax                                                  F4[string, int, int, string]
	Whole                                                   F2[string, string]
	SyntaxUnquoted                                          F2[string, string]
	SyntaxUnclosed                                          string
	SyntaxTwice                                             F2[string, int]
	SyntaxNoEquals, SyntaxOther                             F1[string]
	SettingType                                             F3[string, string, string]
	WantText                                                F1[string] // the setting
	WantBool                                                string
	HasText, HasNumber, HasBool, HasDate, HasList, HasTable string

	// More of what is wrong at a place (main's configError), each from
	// the kind of error the TOML parser wraps (read by its type) or from
	// the file at the place it points at, never from its message: a
	// control character (its code, U+0001), a byte that is not UTF-8
	// (0xFF), a file with NUL bytes as UTF-16 has, an escape in quotation
	// marks TOML does not know (\p), a date or time that is none (the
	// setting, the value), a number too large or not written as one (the
	// number), a setting with nothing after "=" (the setting), a setting
	// not finished where the line or file ends, a table header (the line),
	// "=" with no name before it, and any other character the parser did
	// not expect there (the character).
	SyntaxControl, SyntaxEncoding, SyntaxEscape    F1[string]
	SyntaxUTF16                                    string
	SyntaxDate                                     F2[string, string]
	SyntaxTooLarge, SyntaxBadNumber, SyntaxNoValue F1[string]
	SyntaxCutOff, SyntaxNoKey                      string
	SyntaxTable, SyntaxUnexpected                  F1[string]
}

// KeyFaultWords say what is wrong with a key file (pos.KeyFault), as a
// clause after the setting and the file's path.
type KeyFaultWords struct {
	Missing, Denied           string
	PublicGiven, PrivateGiven F1[string]         // what the file holds, "SPKI PEM"
	NotRSA                    F2[string, string] // the key's kind ("EC"), what the file holds
	Weak                      F2[int, int]       // the key's bits, the bits Alipay's RSA2 takes
	TooLarge                  F1[int64]          // the file's size in bytes
	NotEncoded, Encrypted     string
	PEMBlock                  string
	NoPrivateKey, NoPublicKey F1[string] // what the data was read as, "PEM" or "base64"

	// A certificate file's problems (pos.CertFault), after its setting.
	CertNoPEM, CertUndecodable, CertNoRSARoot, CertIssuer string
	CertNotRSA                                            F1[string]   // the key's kind
	CertWeak                                              F2[int, int] // the key's bits, the bits RSA2 takes
}

// PrinterAddressWords say why a printer address was refused, after
// ConfigWords.PrinterAddress; Forms is how one is written.
type PrinterAddressWords struct {
	Forms                                                                   string
	Empty, NotAbsolute, NoHost                                              F1[string] // Forms
	Scheme                                                                  F2[string, string]
	NoPrefix, Unclean, Port                                                 F1[string] // the address with tcp://, the plain path, the port
	Spaces, Control, Directory, Invalid, UserInfo, AfterPort, NoPort, Other string
}

// SystemWords say what the system answered about a file or a connection
// (Words.SystemReason), and the command line's messages built on them:
// each says what could not be used, why, and what to do.
type SystemWords struct {
	NotExist, Permission, NotDir, IsDir, DiskFull, ReadOnly string
	Refused, AddrInUse, TimedOut, Unreachable, NoHost       string
	// More of the system's answers, each from a typed error
	// (errors.Is/As): a connection dropped or closed under a write, an
	// I/O error, a device busy or not there (a printer), a resource
	// briefly unavailable, too many open files, a cancelled wait, an
	// answer cut short, the resolver's temporary failure or other
	// failure, and TLS.
	ConnReset, BrokenPipe, IOError, DeviceBusy, NoDevice, TryLater, TooManyFiles string
	Cancelled, CutShort, DNSTemporary, DNSFailed                                 string
	CertUnknownAuthority, CertInvalid, NotTLS                                    string
	CertExpired                                                                  F2[string, string] // the certificate's first and last valid day
	CertHostname                                                                 F1[string]         // the host name the certificate does not name
	TLSAlert                                                                     F1[int]            // the TLS alert's number
	HTTPStatus                                                                   F1[int]            // the gateway's HTTP status
	// The ledger file refused by bbolt (pos.LedgerFileError), and held
	// too long by another program (pos.ErrLedgerBusy).
	LedgerBusy, LedgerNotBolt, LedgerVersion, LedgerChecksum, LedgerMapping, LedgerReadOnly, LedgerTooLarge string
	// A database file that is not a ledger: the ledger's bucket it lacks
	// (pos.LedgerNoBucketError).
	LedgerNoBucket F1[string]
	// A record or a file of JSON that does not decode (pos.DecodeFault):
	// broken at a byte, stopped before it is complete (the byte), a
	// field holding a value of another kind (the field, the kind it
	// takes, the kind it holds: JSONText …), the whole record so (the
	// kind it takes, the kind it is).
	JSONSyntax, JSONCutShort                                                  F1[int64]
	JSONType                                                                  F3[string, string, string]
	JSONWhole                                                                 F2[string, string]
	JSONText, JSONNumber, JSONBool, JSONList, JSONObject, JSONNull, JSONValue string
	// A record of the ledger that does not decode (pos.LedgerRecordError):
	// the record (a sale, the Z report of a date, an outbox event, the
	// wrong PIN tries, another: its key and bucket), why.
	LedgerRecord                      F2[string, string]
	RecordSale, RecordZ, RecordOutbox F1[string]
	RecordPINTries                    string
	RecordOther                       F2[string, string]
	// Quoted marks the system's own text, for an error of a kind not
	// above, as a quotation, never as part of the sentence.
	Quoted F1[string]

	CannotReadLedger F2[string, string]         // the directory, the reason
	BackupNoDir      F2[string, string]         // the file, its directory
	BackupWrite      F2[string, string]         // the file, the reason
	NothingToBackUp  F1[string]                 // the directory
	ConfigFile       F2[string, string]         // the file, the reason
	EmulatorKeys     F2[string, string]         // the directory, the reason
	EmulatorDown     F2[string, string]         // the emulator's URL, the reason
	EmulatorNoTrade  F2[string, string]         // out_trade_no, the emulator's URL
	EmulatorRefused  F3[string, string, string] // out_trade_no, the emulator's URL, its answer
	// kiosk emulator pay refused by the emulator's own word (out_trade_no,
	// the emulator's URL): the trade is closed, its QR code has expired.
	EmulatorPayClosed, EmulatorPayExpired F2[string, string]
	EmulatorRefusedAs                     F3[string, string, string] // out_trade_no, the emulator's URL, the refusal's code (no_such_trade …)
	// kiosk emulator confirm CODE refused: a code the emulator never
	// issued, one with no charge waiting, one whose sale was closed (the
	// code, the emulator's URL).
	EmulatorNoCode, EmulatorNothingToConfirm, EmulatorConfirmClosed F2[string, string]
	HeadOfficeDown                                                  F1[string] // the reason
	// The emulator's state file refused, unchanged (emulator.StateError):
	// the file and what is wrong, at a line of the journal (the line, what
	// is wrong); its JSON (Words.DecodeText), more after its JSON, another
	// version (its version, the one read), a trade that breaks the rules
	// of a trade, one that appears twice (the trade), a buyer code that
	// breaks the rules of a code (the code), a line of a buyer code with no
	// code in it; of no kind known, the
	// emulator's text, quoted (System.Quoted).
	EmulatorState                                             F2[string, string]
	EmulatorStateLine                                         F2[int, string]
	EmulatorStateTrailing, EmulatorStateNoCode                string
	EmulatorStateVersion                                      F2[int, int]
	EmulatorStateTrade, EmulatorStateTwice, EmulatorStateCode F1[string]
	// A member of its JSON that no field of the emulator's takes (its path).
	EmulatorStateUnknown F1[string]
}

// CheckedWords are the problems kiosk ledger check finds in the ledger's
// own rules, one sentence a kind (pos.CheckKind). A sale is its
// out_trade_no, a date YYYY-MM-DD, a receipt its number as printed
// ("0007"), a detail the words of bbolt or a decoder.
type CheckedWords struct {
	Bbolt                 F1[string]                         // bbolt's finding
	NoBucket              F1[string]                         // the bucket
	CounterMalformed      F1[string]                         // the date
	SaleUndecodable       F2[string, string]                 // the key, the detail
	SaleMisfiled          F2[string, string]                 // the key, the sale it says it is
	SaleStatus            F2[string, string]                 // the sale, the status it has
	SaleMethod            F2[string, string]                 // the sale, the way to pay it has
	SaleAmount            F2[string, int64]                  // the sale, its amount in fen
	OpenIndex             F2[string, string]                 // the sale, its status
	RefundingIndex        F1[string]                         // the sale
	UnprintedIndex        F1[string]                         // the sale
	NotInDay              F2[string, string]                 // the sale, the date
	ListedOnCreation      F4[string, string, string, string] // the sale, paid on, its receipt, created on
	RefundTwice           F2[string, string]                 // the sale, the refund
	RefundedSum           F3[string, Fen, Fen]               // the sale, refunded as recorded, its done refunds
	RefundsExceed         F3[string, Fen, Fen]               // the sale, its refunds, its amount
	RefundedButPaid       F1[string]                         // the sale
	PaidNoReceipt         F2[string, string]                 // the sale, its status
	ReceiptNoPaidAt       F2[string, string]                 // the sale, its receipt
	ReceiptNotPaid        F3[string, string, string]         // the sale, its status, its receipt
	BeyondCounter         F4[string, string, string, int]    // the sale, its receipt, the date, the day's counter
	ReceiptTwice          F3[string, string, string]         // the receipt, the date, the sale
	ListedTwice           F3[string, string, string]         // the date, the receipt, the sale
	ReceiptGapsMany       F4[string, int, int, string]       // the date, how many, the counter, the first five
	ReceiptGaps           F3[string, string, int]            // the date, the receipts, the counter
	DayKeyMalformed       F1[string]                         // the key
	DayWrongDate          F3[string, string, string]         // the date, the sale, the date it belongs to
	DayOrphan             F2[string, string]                 // the date, the sale
	OpenOrphan            F1[string]                         // the sale
	RefundingOrphan       F1[string]                         // the sale
	UnprintedOrphan       F1[string]                         // the sale
	RefundKeyMalformed    F1[string]                         // the key
	RefundIndexUnreadable F3[string, string, string]         // the refund, the sale, the detail
	RefundIndexNotDone    F2[string, string]                 // the refund, the sale
	RefundIndexOrphan     F2[string, string]                 // the refund, the sale
	ZCounterMalformed     string
	ZUndecodable          F2[string, string]         // the key, the detail
	ZMisfiled             F3[string, string, string] // the key, the kind of report, its date
	ZOutside              F2[int, int]               // the number, the counter
	ZTwice                F1[int]                    // the number
	ZMissing              F2[int, int]               // how many, the counter
	// An undecodable sale, refund index entry or Z report, said with why
	// from the decoder's typed facts (pos.DecodeFault) rather than quoted
	// (SaleUndecodable, RefundIndexUnreadable, ZUndecodable): the same
	// blanks, the last one Words.DecodeText.
	SaleUndecodableWhy, ZUndecodableWhy F2[string, string]
	RefundIndexWhy                      F3[string, string, string]

	// The file's pages. A page is named as PageLabel says, "page 7 (a
	// page of bucket "sales")", or InlineLabel for a bucket inline in its
	// parent; what a page is part of is TheFreelist or APageOf a bucket.
	PageOrphan       F1[uint64]                 // the page
	PageOutside      F3[string, uint64, int]    // what, the page, the last page
	PageUnreadable   F3[uint64, string, string] // the page, what, the system's words
	PageWrongID      F3[uint64, string, uint64] // the page, what, the page it says it is
	PageOverflowEnd  F3[uint64, string, int]    // the page, what, its overflow pages
	PageOverflowHuge F3[uint64, string, int]    // the page, what, its overflow pages
	PageTwice        F2[uint64, string]         // the page, what
	PageUsedFree     F2[uint64, string]         // the page, what
	FreelistType     F2[uint64, string]         // the page, its type ("0x2")
	FreelistOverfull F2[uint64, int]            // the page, the pages it claims
	FreelistOutside  F3[uint64, uint64, int]    // the freelist's page, the page listed, the last page
	FreelistTwice    F2[uint64, uint64]         // the freelist's page, the page listed
	FreelistSelf     F2[uint64, uint64]         // the freelist's page, the page listed
	ElemShort        F1[string]                 // the page's label
	ElemType         F2[string, string]         // the page's label, its type ("0x2")
	ElemCount        F2[string, int]            // the page's label, its entries
	ElemEmptyBranch  F1[string]                 // the page's label
	ElemOutside      F2[string, int]            // the page's label, the entry
	ElemOrder        F2[string, int]            // the page's label, the entry
	ElemBucketShort  F2[string, int]            // the page's label, the entry
	PagesMore        F1[int]                    // the problems beyond those listed
	HeaderNote       F3[uint64, uint64, uint64] // the header page that does not verify, the one used, its transaction
	TheFreelist      string
	APageOf          F1[string] // the bucket
	Bucket           F1[string] // its name, quoted: "sales", "sales"/"x"
	RootBucket       string
	PageLabel        F2[uint64, string] // the page, what
	InlineLabel      F1[string]         // the bucket

	// The file's header (its two meta pages).
	HeadNone     string
	HeadPageSize F1[int64]          // the page size it gives
	HeadPages    F1[uint64]         // the pages it gives
	HeadCutShort F2[int64, int64]   // the file's size, where its data should run to
	HeadRoot     F2[uint64, uint64] // the root's page, the last page
	HeadFreelist F2[uint64, uint64] // the freelist's page, the last page
	// Neither header page valid, as the first says: another file format
	// version (the one it gives, the one bbolt reads), or checksums that
	// do not match.
	HeadVersion  F2[int, int]
	HeadChecksum string

	// The file as a whole.
	ReadFault     F1[string]         // what the Go runtime said when reading it faulted
	LedgerMissing F2[string, string] // the file, the file that shows a ledger was there
	LedgerEmpty   F2[string, string] // the file, the file that shows a ledger was there
	// A damaged file's problem as the kiosk's refusal to open it says it:
	// with how many more were found, or found in a backup's copy of it.
	AndMore F2[string, int] // the problem, how many more
	InCopy  F1[string]      // the problem
}
