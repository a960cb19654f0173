package ui

import (
	"charm.land/bubbles/v2/key"

	"kiosk/ui/words"
)

// keyMap lists every key the kiosk answers to, with its help text. Each
// screen's help (help.go) picks the ones that work on it. It is built
// once and shared by pointer by every copy of a model: nothing changes
// its bindings after defaultKeys (a screen that needs a binding changed
// changes its own copy).
type keyMap struct {
	start    key.Binding
	next     key.Binding
	abort    key.Binding
	yes      key.Binding
	no       key.Binding
	simulate key.Binding
	quit     key.Binding

	// The payment code: the way to pay, the scan screen, the emulated
	// customer's codes and confirmation.
	payWith          key.Binding
	charge           key.Binding
	backToAmount     key.Binding
	codePays         key.Binding
	codeConfirm      key.Binding
	codeExpired      key.Binding
	codeInsufficient key.Binding
	confirms         key.Binding

	// The manager's screens.
	ledger   key.Binding
	back     key.Binding
	prevDay  key.Binding
	nextDay  key.Binding
	days     key.Binding // for the help: ←/→ together
	up       key.Binding
	down     key.Binding
	pageUp   key.Binding
	pageDown key.Binding
	first    key.Binding
	last     key.Binding
	choose   key.Binding // for the help: ↑/↓ together
	scroll   key.Binding // for the help: ↑/↓ on a screen that scrolls
	open     key.Binding
	report   key.Binding
	reprint  key.Binding
	// printLate is reprint for a receipt that never printed: the same p,
	// saying that it prints the receipt, late, not a copy.
	printLate key.Binding
	// printAgain prints the receipt on screen again after it failed: a
	// control key, since the receipt screen types into the next amount
	// (and not ctrl+p, which chooses the way to pay).
	printAgain  key.Binding
	printReport key.Binding
	refund      key.Binding
	field       key.Binding
	proceed     key.Binding
	sendPIN     key.Binding
	cancel      key.Binding
	closeDay    key.Binding
	closeYes    key.Binding
	closeNo     key.Binding
	// closeDayBefore turns the question to close an empty today into one
	// to close the day before.
	closeDayBefore key.Binding
	anyKey         key.Binding // for the help: the screen takes any key
	closePIN       key.Binding
	keepOpen       key.Binding
	backToDay      key.Binding
	pinKey         key.Binding // the ledger's way to the PIN screen
	nextPIN        key.Binding
	savePIN        key.Binding
	keepPIN        key.Binding
	// recheckPIN looks again whether a PIN is set, where none was: it is
	// set at the command line, beside the kiosk.
	recheckPIN key.Binding
}

// anyKey names no key: the binding that says "any key" is only for the
// help, which shows enabled bindings, and a binding with no keys is not.
const anyKey = "any key"

func defaultKeys(say *words.Words) *keyMap {
	k := &say.Keys
	return &keyMap{
		start: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.StartSale)),
		next:  key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", k.AmountSubject)),
		abort: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.CancelSale)),
		// A question's help names esc too: it answers no.
		yes:      key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", k.YesCancel)),
		no:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", k.NoKeepWaiting)),
		simulate: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.CustomerPays)),
		quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", k.Quit)),

		// The sale screen's fields take printable keys, and the scan
		// screen's field digits: a control or function key switches the
		// way to pay, and letters play the customer on the emulator.
		payWith:          key.NewBinding(key.WithKeys("ctrl+p", "f3"), key.WithHelp("ctrl+p", k.PayWith)),
		charge:           key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.Charge)),
		backToAmount:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.BackToAmount)),
		codePays:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.CodePays)),
		codeConfirm:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", k.CodeConfirm)),
		codeExpired:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", k.CodeExpired)),
		codeInsufficient: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", k.CodeInsufficient)),
		confirms:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.CustomerConfirms)),

		// The amount field takes printable keys, so the ledger opens with a
		// control or function key.
		ledger:         key.NewBinding(key.WithKeys("ctrl+l", "f2"), key.WithHelp("ctrl+l", k.Ledger)),
		back:           key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.BackToSelling)),
		prevDay:        key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", k.PrevDay)),
		nextDay:        key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", k.NextDay)),
		days:           key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", k.OtherDay)),
		up:             key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", k.Up)),
		down:           key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", k.Down)),
		pageUp:         key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", k.PageUp)),
		pageDown:       key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", k.PageDown)),
		first:          key.NewBinding(key.WithKeys("home"), key.WithHelp("home", k.First)),
		last:           key.NewBinding(key.WithKeys("end"), key.WithHelp("end", k.Last)),
		choose:         key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", k.ChooseSale)),
		scroll:         key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", k.Scroll)),
		open:           key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.Details)),
		report:         key.NewBinding(key.WithKeys("x"), key.WithHelp("x", k.DayReport)),
		reprint:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.Reprint)),
		printLate:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.PrintLate)),
		refund:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", k.RefundIt)),
		printAgain:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", k.PrintAgain)),
		printReport:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", k.PrintReport)),
		field:          key.NewBinding(key.WithKeys("tab", "shift+tab", "up", "down"), key.WithHelp("tab", k.NextField)),
		proceed:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.Continue)),
		sendPIN:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.RefundNow)),
		cancel:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.CancelRefund)),
		closeDay:       key.NewBinding(key.WithKeys("z"), key.WithHelp("z", k.CloseDay)),
		closeYes:       key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", k.YesClose)),
		closeNo:        key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", k.No)),
		closeDayBefore: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", k.CloseDayBefore)),
		anyKey:         key.NewBinding(key.WithKeys(anyKey), key.WithHelp(k.Any.F(k.AnyKey), "")),
		closePIN:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.CloseTheDay)),
		keepOpen:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.KeepOpen)),
		backToDay:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.BackToLedger)),
		pinKey:         key.NewBinding(key.WithKeys("m"), key.WithHelp("m", k.ManagerPIN)),
		nextPIN:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.NextPIN)),
		savePIN:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.SavePIN)),
		keepPIN:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", k.KeepPIN)),
		recheckPIN:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", k.PINSetNow)),
	}
}
