package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// gcPercent reads the garbage collector's target without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTheCounterCollectsLessOften: the counter sets the collector's
// target to counterGCPercent, and restores what it was.
func TestTheCounterCollectsLessOften(t *testing.T) {
	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	before := gcPercent()
	restore := tuneGCForTheCounter()
	if got := gcPercent(); got != counterGCPercent {
		t.Errorf("while the counter runs the GC target is %d, want %d", got, counterGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("after restore the GC target is %d, want %d as before", got, before)
	}
}

// TestGOGCWinsOverTheCounter: an operator's GOGC is left as it is.
func TestGOGCWinsOverTheCounter(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := gcPercent()
	defer tuneGCForTheCounter()()
	if got := gcPercent(); got != before {
		t.Errorf("with GOGC set the counter changed the GC target to %d from %d", got, before)
	}
}
