package ui

import (
	"reflect"
	"testing"
)

// TestProgramDrawsAtTheKiosksRate: the program Run shows the kiosk in
// draws at FPS, not at Bubble Tea's default 60, which would make every
// receipt wait up to twice as long for its frame. Bubble Tea keeps the
// rate unexported, so it is read by reflection.
func TestProgramDrawsAtTheKiosksRate(t *testing.T) {
	p := NewProgram(New(newFakeCheckout(), Options{}))
	fps := reflect.ValueOf(p).Elem().FieldByName("fps")
	if !fps.IsValid() {
		t.Fatal("tea.Program has no fps field any more: find how this Bubble Tea sets its frame rate")
	}
	if got := fps.Int(); got != FPS || FPS != 120 {
		t.Errorf("the program draws at %d frames a second, want %d (FPS = %d)", got, 120, FPS)
	}
}
