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
	}
}
