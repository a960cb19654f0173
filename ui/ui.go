package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// Counter is what the cashier's screens need of the point of sale: a sale
// from the amount to the receipt, and the settling of sales left open.
type Counter interface {
	Start(ctx context.Context, amountFen int64, subject string) (pos.Sale, error)
	Poll(ctx context.Context, sale pos.Sale) (pos.PollResult, error)
	Cancel(ctx context.Context, sale pos.Sale, reason pos.Reason) (pos.Outcome, error)
	Recover(ctx context.Context) ([]pos.Outcome, error)
	Reconcile(ctx context.Context) ([]pos.Outcome, int, error)
	Config() pos.Config
	Now() time.Time
	CanSimulate() bool
	SimulatePayment(sale pos.Sale) error
	// ScanPay charges the customer's payment code; SimulateBuyerCode has
	// the emulated customer show one.
	ScanPay(ctx context.Context, amountFen int64, subject, code string) (pos.Charge, error)
	SimulateBuyerCode(kind pos.BuyerCodeKind) (string, error)
	// PayMethodChoice is the way to pay chosen last, kept across restarts
	// by ChoosePayMethod.
	PayMethodChoice() pos.PayMethod
	ChoosePayMethod(m pos.PayMethod) error
	// Notified delivers what Alipay's notifications just did to sales:
	// a payment recorded, with its receipt, or a sale left open; nil when
	// notifications are off.
	Notified() <-chan pos.Notice
}

// BackOffice is what the manager's screens need: the ledger by day, a
// receipt again, refunds, and the day's X and Z reports.
type BackOffice interface {
	// Today is the shop's date now, YYYY-MM-DD.
	Today() string
	Day(date string) (pos.Day, error)
	Report(date string) (pos.Report, error)
	CloseDay(date, pin string) (pos.Report, error)
	Reprint(outTradeNo string) (pos.Receipt, error)
	Refund(ctx context.Context, o pos.RefundOrder) (pos.SaleRecord, error)
	// HasManagerPIN reports whether a manager PIN is set; SetManagerPIN
	// changes it, given the current one. The kiosk never sets the first
	// (pos.ErrNoPIN): that is done at the command line.
	HasManagerPIN() (bool, error)
	SetManagerPIN(current, pin string) error
}

// HeadOffice is what the title bar needs to say how far head office is
// behind with the ledger.
type HeadOffice interface {
	HeadOffice() pos.HeadOfficeStatus
}

// PrintMarks is where the kiosk records the receipts that did not print,
// so that a restart still names them and prints them as late, not as
// copies. Only a failed print and the print that makes it good write.
type PrintMarks interface {
	ReceiptNotPrinted(outTradeNo string) error
	ReceiptPrinted(outTradeNo string) error
	UnprintedReceipts() ([]pos.Receipt, error)
}

// Checkout is the whole point of sale the root model drives: the counter,
// the back office and head office's status. *pos.Register implements it.
type Checkout interface {
	Counter
	BackOffice
	HeadOffice
	PrintMarks
}

type state int

const (
	stateRecovering state = iota // settling sales left open by the last run
	stateEntry                   // typing the amount
	stateStarting                // asking Alipay for the QR code
	stateWaiting                 // QR on screen, polling
	stateCancelling              // final query and cancel in progress
	stateReceipt                 // paid
	stateOutcome                 // cancelled, refunded or unknown
	stateManager                 // the manager's ledger, refunds and reports
	stateScanning                // the scan screen: waiting for the customer's payment code
	stateCharging                // alipay.trade.pay of the code in progress
)

// Options tune a Model; the zero value is right for the counter.
type Options struct {
	ShopName string
	// Words are the catalogue the screens speak (default words.English).
	Words *words.Words
	// Location is the zone receipt times are shown in (default time.Local).
	Location *time.Location
	// Warnings are shown under the title for as long as the kiosk runs:
	// set-up problems it runs despite, such as a key file others can read.
	Warnings []string
	// Tick is how often the countdown redraws (default one second).
	Tick time.Duration
	// After makes the command that delivers msg once d has passed: the
	// countdown, the polls and the background retries are all scheduled
	// through it (default tea.Tick). Tests give one that hands the message
	// to them, so that they decide when time passes.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// HeadOfficeEvery is how often the title bar asks how far head office
	// is behind (default 5 s).
	HeadOfficeEvery time.Duration
	// Printer prints the receipt of each paid sale, the slip of each
	// refund, reprints and the day's reports, in the background and only
	// once the ledger holds what they print; nil for none. Paper is its
	// roll (default 80 mm); OrderQR adds a QR code of the order number to
	// receipts.
	Printer Printer
	Paper   escpos.Paper
	OrderQR bool
	// Clock times the keys on the sale screen, to tell a scanner's burst
	// from typing (default time.Now).
	Clock func() time.Time
}

// tick is the default Options.After.
func tick(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// Model is the kiosk's root Bubble Tea model.
type Model struct {
	checkout Checkout
	opts     Options
	say      *words.Words
	// keys and styles are built once, in New, and never changed after:
	// every copy of the model shares them (a copy is made at each
	// message), so nothing may write through these pointers.
	keys   *keyMap
	styles *styles
	width  int
	height int
	// colour: the terminal shows colours (not NO_COLOR); lightBackground:
	// it says its background is light. Together they decide how the QR
	// code is drawn (qrCode).
	colour          bool
	lightBackground bool

	state       state
	quitting    bool    // quit once the current sale has ended
	stop        StopMsg // why and by when the process must end; zero unless it was told to stop
	paidAtStop  bool    // the stop found the sale on screen paid: its receipt is m.receipt
	banner      string
	reconciling bool // a chain of background retries of unknown sales is running
	// unprinted are the receipts the start found not printed, as long as
	// the banner names them (stillUnprinted).
	unprinted []pos.Receipt
	// dayClosed is the last day known closed: while it is today, the sale
	// screen says that no sale can be taken until midnight.
	dayClosed *pos.DayClosedError

	entry   *entryModel   // never nil; copied on write (see entryModel)
	burst   burst         // the digits typed last on the sale screen, to tell a scan
	method  pos.PayMethod // how the next sale is paid: our QR code, or the customer's payment code
	scan    *scanModel    // the scan screen's, from openScan on; copied on write (see scanModel)
	sale    saleModel
	receipt pos.Receipt
	outcome pos.Outcome
	// outcomeNote says in words how the outcome came about.
	outcomeNote string
	// manager is the manager's screens while they are open (stateManager),
	// nil otherwise. It is copied on write: an Update never writes through
	// it but stores a new managerModel, so that a copy of the model made
	// before keeps the screens it had, and the sale's messages, which
	// never reach it, do not copy its 50 KB.
	manager *managerModel

	headOffice pos.HeadOfficeStatus // as last asked
	printing   printState           // the last job sent to the printer
}

// New builds the root model around a checkout.
func New(checkout Checkout, opts Options) Model {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Tick == 0 {
		opts.Tick = time.Second
	}
	if opts.After == nil {
		opts.After = tick
	}
	if opts.HeadOfficeEvery == 0 {
		opts.HeadOfficeEvery = defaultHeadOfficeEvery
	}
	if opts.Words == nil {
		opts.Words = words.English
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	st := defaultStyles()
	return Model{
		checkout: checkout,
		opts:     opts,
		say:      opts.Words,
		keys:     defaultKeys(opts.Words),
		styles:   st,
		width:    80,
		height:   24,
		colour:   true,
		state:    stateRecovering,
		entry:    newEntryModel(checkout.Config().Subject),
		method:   checkout.PayMethodChoice(),
	}
}

// Init settles what the last run left open before the first sale, and
// starts listening for Alipay's notifications.
func (m Model) Init() tea.Cmd {
	return tea.Batch(recoverCmd(m.checkout, m.checkout), waitNotifiedCmd(m.checkout.Notified()), m.watchHeadOffice(),
		tea.RequestBackgroundColor)
}

// Update routes messages to the current screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.ColorProfileMsg:
		m.colour = msg.Profile > colorprofile.ASCII
		return m, nil
	case tea.BackgroundColorMsg:
		m.lightBackground = !msg.IsDark()
		return m, nil
	case recoveredMsg:
		return m.recovered(msg)
	case todayReadMsg:
		return m.todayRead(msg)
	case reconcileDueMsg:
		return m, reconcileCmd(m.checkout)
	case reconciledMsg:
		return m.reconciled(msg)
	case notifiedMsg:
		return m.notified(msg)
	case StopMsg:
		return m.stopped(msg)
	case headOfficeDueMsg:
		return m, askHeadOfficeCmd(m.checkout)
	case headOfficeMsg:
		return m.headOfficeUpdated(msg)
	case printedMsg:
		return m.printed(msg)
	case payMethodChosenMsg:
		return m.payMethodChosen(msg)
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.quit) {
			return m.quit()
		}
	}
	switch m.state {
	case stateEntry:
		return m.updateEntry(msg)
	case stateStarting, stateWaiting, stateCancelling, stateCharging:
		return m.updateSale(msg)
	case stateScanning:
		return m.updateScan(msg)
	case stateReceipt, stateOutcome:
		return m.updateResult(msg)
	case stateManager:
		return m.updateManager(msg)
	}
	return m, nil
}

// quit leaves at once when no sale is open; during a sale it asks to cancel
// the sale first, so a paid sale is never left unrecorded on screen. A job
// still printing is waited for, so that a receipt is not cut off.
func (m Model) quit() (tea.Model, tea.Cmd) {
	switch m.state {
	case stateWaiting:
		m.quitting = true
		m.sale.confirming = true
		return m, nil
	case stateStarting, stateCancelling, stateCharging:
		m.quitting = true
		return m, nil
	case stateManager:
		if m.manager.busy() {
			m.quitting = true
			return m, nil
		}
	}
	if m.printInFlight() && !m.quitting {
		m.quitting = true // once the job has printed; asked again, at once
		return m, nil
	}
	return m, tea.Quit
}

// StopMsg tells the kiosk that the process is being stopped (SIGTERM,
// SIGHUP): it is Ctrl+C with the question answered yes, since nobody may
// be there to answer. A sale on screen is cancelled with Alipay at once and
// the kiosk quits when the outcome is recorded; a start or a cancel in
// flight is waited for, and so is a refund; otherwise the kiosk quits at
// once. The cancel it starts has until Deadline (no limit when zero): what
// Alipay has not confirmed by then is recorded unknown, and the next start
// settles it.
type StopMsg struct {
	Reason   pos.Reason // for the ledger, such as pos.StoppedBy("SIGTERM")
	Deadline time.Time
}

func (m Model) stopped(msg StopMsg) (tea.Model, tea.Cmd) {
	m.quitting, m.stop = true, msg
	switch m.state {
	case stateWaiting:
		return m.beginCancel(m.closeReason())
	case stateStarting, stateCancelling, stateCharging:
		return m, nil
	case stateManager:
		if m.manager.busy() {
			return m, nil
		}
	}
	if m.printInFlight() {
		return m, nil // bounded: the job's own deadline, or the stop's
	}
	return m, tea.Quit
}

// closeReason is what the ledger says about a sale cancelled because the
// kiosk was closing.
func (m Model) closeReason() pos.Reason {
	if m.stop.Reason != "" {
		return m.stop.Reason
	}
	return pos.ReasonKioskClosed
}

// View draws the current screen.
func (m Model) View() tea.View {
	var body string
	switch m.state {
	case stateRecovering:
		body = m.styles.muted.Render(m.say.Sale.Recovering)
	case stateEntry:
		body = m.entry.view(m.say, m.styles, m.keys, m.method, m.checkout.CanSimulate(), m.width)
	case stateScanning:
		body = m.scanView()
	case stateCharging:
		body = m.chargingView()
	case stateStarting, stateWaiting, stateCancelling:
		body = m.saleView()
	case stateReceipt:
		body = m.receiptView()
	case stateManager:
		body = m.screens().view(m.common())
	case stateOutcome:
		body = m.outcomeView()
	}
	v := tea.NewView(m.styles.app.Render(lipgloss.JoinVertical(lipgloss.Left, m.header(), "", body)))
	v.AltScreen = true
	v.WindowTitle = m.say.Sale.WindowTitle
	return v
}

func (m Model) header() string {
	title := m.styles.title.Render(m.say.Sale.Title)
	if m.opts.ShopName != "" {
		title += m.styles.muted.Render(m.say.Punct.Parts + m.opts.ShopName)
	}
	if badge := m.badge(); badge != "" {
		title += "  " + m.styles.badge.Render(badge)
	}
	if marker := m.headOfficeMarker(); marker != "" {
		title += "  " + marker
	}
	for _, w := range m.opts.Warnings {
		title += "\n" + wrapIn(m.styles.warning, max(m.width-2, 20), "! "+w)
	}
	if m.banner != "" {
		title += "\n" + wrapIn(m.styles.warning, max(m.width-2, 20), m.banner)
	}
	if closed := m.closedTodayLine(); closed != "" {
		title += "\n" + closed
	}
	return title
}

// badge says which gateway the kiosk talks to, so that nobody takes a
// demonstration for real money; production has none.
func (m Model) badge() string {
	switch m.checkout.Config().Mode {
	case pos.ModeEmulator:
		return m.say.Sale.BadgeEmulator
	case pos.ModeSandbox:
		return m.say.Sale.BadgeSandbox
	}
	return ""
}
