package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/pos"
)

// TestHeadOfficeMarkerShowsOnlyWhenBehind: the running screen asks after
// head office by itself and says "head office: N to send" while it is
// behind, and nothing once it has caught up.
func TestHeadOfficeMarkerShowsOnlyWhenBehind(t *testing.T) {
	f := newFakeCheckout()
	f.setHeadOffice(pos.HeadOfficeStatus{Enabled: true, ToSend: 2})
	tm := teatest.NewTestModel(t, New(f, Options{ShopName: "Corner Shop", Location: time.UTC, HeadOfficeEvery: 10 * time.Millisecond}),
		teatest.WithInitialTermSize(100, 32), teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), contains("Amount (yuan)"), teatest.WithDuration(5*time.Second))

	f.setHeadOffice(pos.HeadOfficeStatus{Enabled: true, ToSend: 12, Behind: true})
	teatest.WaitFor(t, tm.Output(), contains("head office: 12 to send"), teatest.WithDuration(5*time.Second))
	f.setHeadOffice(pos.HeadOfficeStatus{Enabled: true})
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	m = m.apply(headOfficeMsg{status: f.HeadOffice()}) // the next answer
	if view := ansi.Strip(m.View().Content); strings.Contains(view, "head office") {
		t.Errorf("the marker stayed after head office caught up:\n%s", view)
	}
}

func (m Model) apply(msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

func TestHeadOfficeMarker(t *testing.T) {
	m := New(newFakeCheckout(), Options{ShopName: "Corner Shop"})
	for _, tt := range []struct {
		status pos.HeadOfficeStatus
		want   bool
	}{
		{pos.HeadOfficeStatus{}, false},
		{pos.HeadOfficeStatus{Enabled: true, ToSend: 3}, false},
		{pos.HeadOfficeStatus{Enabled: true, ToSend: 3, Behind: true}, true},
		{pos.HeadOfficeStatus{Enabled: true, Behind: true}, false},
	} {
		m = m.apply(headOfficeMsg{status: tt.status})
		got := strings.Contains(ansi.Strip(m.header()), "head office: 3 to send")
		if got != tt.want {
			t.Errorf("%+v: marker shown %v, want %v:\n%s", tt.status, got, tt.want, ansi.Strip(m.header()))
		}
	}
}

func TestNoHeadOfficeNoQuestions(t *testing.T) {
	m := New(newFakeCheckout(), Options{})
	if cmd := m.watchHeadOffice(); cmd != nil {
		t.Error("a kiosk without head office asks after it")
	}
}
