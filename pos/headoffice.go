package pos

// HeadOffice reports how far the ledger's changes are from reaching head
// office. *central.Shipper implements it.
type HeadOffice interface {
	// Backlog is how many changes head office has yet to confirm, and
	// whether that is worth telling the cashier.
	Backlog() (toSend int, behind bool)
}

// WithHeadOffice lets the cashier's screen say when head office is behind.
func WithHeadOffice(h HeadOffice) Option { return func(r *Register) { r.headOffice = h } }

// HeadOfficeStatus is what the cashier's screen shows of head office.
type HeadOfficeStatus struct {
	Enabled bool // the kiosk sends its ledger to head office
	ToSend  int  // changes head office has not confirmed yet
	// Behind says the changes have waited long, or head office cannot be
	// reached: the screen shows "head office: N to send" only then.
	Behind bool
}

// HeadOffice says how far head office is behind; the zero value when the
// kiosk does not send its ledger there.
func (r *Register) HeadOffice() HeadOfficeStatus {
	if r.headOffice == nil {
		return HeadOfficeStatus{}
	}
	n, behind := r.headOffice.Backlog()
	return HeadOfficeStatus{Enabled: true, ToSend: n, Behind: behind}
}
