package ui

import "charm.land/bubbles/v2/key"

// keyMap lists every key the kiosk answers to, with its help text.
type keyMap struct {
	start    key.Binding
	next     key.Binding
	abort    key.Binding
	yes      key.Binding
	no       key.Binding
	simulate key.Binding
	quit     key.Binding

	// The manager's screens.
	ledger    key.Binding
	back      key.Binding
	prevDay   key.Binding
	nextDay   key.Binding
	days      key.Binding // help only: ←/→ together
	up        key.Binding
	down      key.Binding
	pageUp    key.Binding
	pageDown  key.Binding
	first     key.Binding
	last      key.Binding
	choose    key.Binding // help only: ↑/↓ together
	scroll    key.Binding // help only: ↑/↓ on a screen that scrolls
	open      key.Binding
	report    key.Binding
	reprint   key.Binding
	refund    key.Binding
	field     key.Binding
	proceed   key.Binding
	sendPIN   key.Binding
	cancel    key.Binding
	closeDay  key.Binding
	closeYes  key.Binding
	closeNo   key.Binding
	anyKey    key.Binding // help only
	closePIN  key.Binding
	keepOpen  key.Binding
	backToDay key.Binding
}

func defaultKeys() keyMap {
	return keyMap{
		start:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start sale")),
		next:     key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "amount/subject")),
		abort:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel sale")),
		yes:      key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes, cancel it")),
		no:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no, keep waiting")),
		simulate: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "customer pays (emulator)")),
		quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),

		// The amount field takes printable keys, so the ledger opens with a
		// control or function key.
		ledger:    key.NewBinding(key.WithKeys("ctrl+l", "f2"), key.WithHelp("ctrl+l", "ledger")),
		back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to selling")),
		prevDay:   key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous day")),
		nextDay:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "next day")),
		days:      key.NewBinding(key.WithHelp("←/→", "other day")),
		up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "up")),
		down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
		pageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		pageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		first:     key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		last:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),
		choose:    key.NewBinding(key.WithHelp("↑/↓", "choose sale")),
		scroll:    key.NewBinding(key.WithHelp("↑/↓", "scroll")),
		open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		report:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "day report")),
		reprint:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "reprint receipt")),
		refund:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refund")),
		field:     key.NewBinding(key.WithKeys("tab", "shift+tab", "up", "down"), key.WithHelp("tab", "next field")),
		proceed:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		sendPIN:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "refund now")),
		cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel, nothing is refunded")),
		closeDay:  key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "close the day (Z report)")),
		closeYes:  key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes, close the day")),
		closeNo:   key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
		anyKey:    key.NewBinding(key.WithHelp("any key", "back to the sale's details")),
		closePIN:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "close the day")),
		keepOpen:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel, the day stays open")),
		backToDay: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the ledger")),
	}
}
