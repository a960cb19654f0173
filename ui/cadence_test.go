package ui

import (
	"slices"
	"testing"
	"time"

	"kiosk/pos"
)

// TestPollsKeepTheSaleCadence: the polls are due every poll interval from
// the start of the sale, however long each query takes; a query longer
// than the interval lets the beats it overran go, and the next poll is
// due at the next beat. So a payment is seen by the poll that starts at
// most one interval after it.
func TestPollsKeepTheSaleCadence(t *testing.T) {
	const every = 5 * time.Second
	f := newFakeCheckout()
	f.cfg.PollInterval = every
	queries := []time.Duration{2 * time.Second, 0, 7 * time.Second, time.Second, 4900 * time.Millisecond}
	f.PollFn = func(pos.Sale) (pos.PollResult, error) {
		f.advance(queries[0]) // the query's round trip
		queries = queries[1:]
		return pos.PollResult{Progress: pos.AwaitingScan}, nil
	}
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	start := m.sale.sale.StartedAt
	var due []time.Duration // when each poll was due, from the start of the sale
	for len(queries) > 0 {
		poll, ok := duePoll(f.armed())
		if !ok {
			t.Fatalf("no poll scheduled after %d polls", len(due))
		}
		f.advance(poll.after)
		due = append(due, f.Now().Sub(start))
		m = drive(t, m, poll.msg)
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 15 * time.Second, 25 * time.Second, 30 * time.Second}
	if !slices.Equal(due, want) {
		t.Errorf("polls were due at %v after the start; want %v", due, want)
	}
	if poll, ok := duePoll(f.armed()); !ok || f.Now().Add(poll.after).Sub(start) != 35*time.Second {
		t.Errorf("after a query of 4.9 s the next poll is due in %v; want the beat at 35 s", poll.after)
	}
}

// duePoll picks the poll among the timers armed.
func duePoll(timers []timer) (timer, bool) {
	for _, tm := range timers {
		if _, ok := tm.msg.(pollDueMsg); ok {
			return tm, true
		}
	}
	return timer{}, false
}

func TestUntilNextBeat(t *testing.T) {
	start := testTime
	for _, tt := range []struct {
		now  time.Duration
		want time.Duration
	}{
		{0, 5 * time.Second},
		{time.Second, 4 * time.Second},
		{5 * time.Second, 5 * time.Second}, // on a beat: the next one
		{12 * time.Second, 3 * time.Second},
		{-time.Minute, 5 * time.Second}, // the clock went back: one interval
	} {
		if got := untilNextBeat(start, start.Add(tt.now), 5*time.Second); got != tt.want {
			t.Errorf("at %v: next beat in %v, want %v", tt.now, got, tt.want)
		}
	}
}
