package ui

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// TestPollsKeepTheSaleCadence: the polls are due every poll interval from
// the start of the sale, however long each query takes, a query longer
// than the interval included. So a payment is seen by the poll that
// starts at most one interval after it.
func TestPollsKeepTheSaleCadence(t *testing.T) {
	const every = 5 * time.Second
	f := newFakeCheckout()
	f.cfg.PollInterval = every
	queries := []time.Duration{2 * time.Second, 0, 7 * time.Second, time.Second, 4900 * time.Millisecond, 0}
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
		at := poll.at.Add(poll.after)
		due = append(due, at.Sub(start))
		f.advance(max(at.Sub(f.Now()), 0)) // a query longer than the interval has taken the clock past the beat
		m = drive(t, m, poll.msg)
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 15 * time.Second, 20 * time.Second, 25 * time.Second, 30 * time.Second}
	if !slices.Equal(due, want) {
		t.Errorf("polls were due at %v after the start; want %v", due, want)
	}
	if n := f.called("poll"); n != len(want) {
		t.Errorf("%d queries at %d beats", n, len(want))
	}
}

// TestASlowAnswerDoesNotHoldThePollsBack: the next poll starts at its
// beat while the last one is still out; only with maxPollsInFlight out is
// a beat let go, and the beats go on.
func TestASlowAnswerDoesNotHoldThePollsBack(t *testing.T) {
	f := newFakeCheckout()
	f.cfg.PollInterval = 5 * time.Second
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	var out []polledMsg // answers Alipay has not given yet
	beat := func() {
		t.Helper()
		poll, ok := duePoll(f.armed())
		if !ok {
			t.Fatal("no poll scheduled")
		}
		f.advance(poll.after)
		var answers []polledMsg
		m, answers = withheld(t, m, poll.msg)
		out = append(out, answers...)
	}
	for i, wantQueries := range []int{1, 2, 2, 2} { // the third and fourth beats find two out
		beat()
		if n := f.called("poll"); n != wantQueries {
			t.Fatalf("beat %d: %d queries sent, want %d", i+1, n, wantQueries)
		}
	}
	m = drive(t, m, out[0]) // the first answer comes at last
	beat()
	if n := f.called("poll"); n != 3 {
		t.Errorf("with one answer back, the next beat sent %d queries in all, want 3", n)
	}
	if m.state != stateWaiting {
		t.Errorf("state %d, want still waiting", m.state)
	}
}

// withheld feeds msg to m and runs the commands it returns, as drive does,
// but keeps the polls' answers back and returns them.
func withheld(t *testing.T, m Model, msg tea.Msg) (Model, []polledMsg) {
	t.Helper()
	var kept []polledMsg
	var run func(cmd tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case polledMsg:
			kept = append(kept, msg)
		default:
			next, cmd := m.Update(msg)
			m = next.(Model)
			run(cmd)
		}
	}
	next, cmd := m.Update(msg)
	m = next.(Model)
	run(cmd)
	return m, kept
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
