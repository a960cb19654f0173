package ui

import (
	"math"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// Each screen owns its help: a help.KeyMap whose ShortHelp lists the keys
// that work on the screen as it stands, and nothing else. helpView draws
// one with bubbles' help.

// keyList is a help.KeyMap of bindings already chosen.
type keyList []key.Binding

// ShortHelp implements help.KeyMap.
func (k keyList) ShortHelp() []key.Binding { return k }

// FullHelp implements help.KeyMap.
func (k keyList) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

// helpSeparator stands between two keys of a help line.
const helpSeparator = " · "

// helpView draws km's short help in the help style, starting a new line
// before a key that would not fit in width, so that no key is cut off; a
// width of 0 or less never breaks the line.
func helpView(st *styles, width int, km help.KeyMap) string {
	h := help.New()
	h.ShortSeparator = helpSeparator
	h.Styles.ShortKey, h.Styles.ShortDesc, h.Styles.ShortSeparator = st.help, st.help, st.help
	bindings := km.ShortHelp()
	parts := make([]string, 0, len(bindings))
	for _, b := range bindings {
		switch {
		case !b.Enabled():
		case b.Help().Desc == "": // a hint that says it all, "press any key to …"
			parts = append(parts, h.Styles.ShortKey.Render(b.Help().Key))
		default:
			parts = append(parts, h.ShortHelpView([]key.Binding{b}))
		}
	}
	if width <= 0 {
		width = math.MaxInt
	}
	return wrapParts(parts, h.Styles.ShortSeparator.Render(helpSeparator), width)
}

// wrapParts joins parts with sep, starting a new line before a part that
// would not fit in width, so no part is split.
func wrapParts(parts []string, sep string, width int) string {
	var b strings.Builder
	line := 0
	for i, p := range parts {
		w := lipgloss.Width(p)
		switch {
		case i == 0:
		case line+lipgloss.Width(sep)+w > width:
			b.WriteString("\n")
			line = 0
		default:
			b.WriteString(sep)
			line += lipgloss.Width(sep)
		}
		b.WriteString(p)
		line += w
	}
	return b.String()
}

// entryHelp is the sale screen's help.
func entryHelp(k *keyMap) help.KeyMap { return keyList{k.start, k.next, k.payWith, k.ledger, k.quit} }

// scanHelp is the scan screen's.
func (m Model) scanHelp() help.KeyMap {
	k := m.keys
	return keyList{k.charge, k.backToAmount, k.quit}
}

// buyerCodeHelp is the emulator's keys on the scan screen: the codes the
// customer can show.
func (m Model) buyerCodeHelp() help.KeyMap {
	k := m.keys
	return keyList{k.codePays, k.codeConfirm, k.codeExpired, k.codeInsufficient}
}

// saleHelp is the QR screen's: cancel, pay on the emulator, quit; while
// a cancel is asked, the answers.
func (m Model) saleHelp() help.KeyMap {
	k := m.keys
	if m.sale.confirming {
		return keyList{k.yes, k.no}
	}
	b := keyList{k.abort}
	switch {
	case m.checkout.CanSimulate() && m.sale.byCode:
		b = append(b, k.confirms)
	case m.checkout.CanSimulate():
		b = append(b, k.simulate)
	}
	return append(b, k.quit)
}

// ledgerHelp is the day's ledger's: ↑/↓ and enter only with sales to
// choose.
func (l ledgerModel) ledgerHelp(k *keyMap) help.KeyMap {
	b := keyList{k.days}
	if len(l.day.Sales) > 0 {
		b = append(b, k.choose, k.open)
	}
	return append(b, k.report, k.pinKey, k.back, k.quit)
}

// detailHelp is a sale's details': a reprint only for a sale with a
// receipt, a refund only while something is left to refund; scroll when
// the page does not fit.
func (d detailModel) detailHelp(k *keyMap, scrolls bool) help.KeyMap {
	var b keyList
	switch {
	case d.sale.ReceiptNo > 0 && d.sale.ReceiptUnprinted:
		b = append(b, k.printLate)
	case d.sale.ReceiptNo > 0:
		b = append(b, k.reprint)
	}
	if canRefund(d.sale) {
		b = append(b, k.refund)
	}
	b = append(b, k.backToDay)
	if scrolls {
		b = append(b, k.scroll)
	}
	return append(b, k.quit)
}

// reprintHelp is the duplicate receipt's (or the one printed late): p
// prints it again when it did not print.
func reprintHelp(k *keyMap, notPrinted, late bool) help.KeyMap {
	switch {
	case notPrinted && late:
		return keyList{k.printLate, k.anyKey, k.quit}
	case notPrinted:
		return keyList{k.reprint, k.anyKey, k.quit}
	}
	return keyList{k.anyKey, k.quit}
}

// refundHelp is the refund's: the form's keys, then the PIN's; none
// while Alipay is asked.
func (r refundModel) refundHelp(k *keyMap) help.KeyMap {
	switch r.step {
	case refundForm:
		return keyList{k.proceed, k.field, k.cancel}
	case refundPIN:
		if r.pin.none {
			return keyList{k.recheckPIN, k.cancel}
		}
		return keyList{k.sendPIN, k.cancel}
	}
	return keyList{}
}

// reportHelp is the report's: z only on a day that may close, the
// question's answers, the PIN's keys; none while the day closes; p with a
// printer.
func (r reportModel) reportHelp(k *keyMap, scrolls, canPrint bool) help.KeyMap {
	switch {
	case r.step == reportConfirm && r.offersDayBefore():
		return keyList{k.closeYes, k.closeNo, k.closeDayBefore}
	case r.step == reportConfirm:
		return keyList{k.closeYes, k.closeNo}
	case r.step == reportPIN && r.pin.none:
		return keyList{k.recheckPIN, k.keepOpen}
	case r.step == reportPIN:
		return keyList{k.closePIN, k.keepOpen}
	case r.step == reportClosing:
		return keyList{}
	case !r.ready:
		return keyList{k.backToDay, k.quit}
	}
	var b keyList
	if r.canClose() {
		b = append(b, k.closeDay)
	}
	if canPrint {
		b = append(b, k.printReport)
	}
	b = append(b, k.backToDay)
	if scrolls {
		b = append(b, k.scroll)
	}
	return append(b, k.quit)
}
