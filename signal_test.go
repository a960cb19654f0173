package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/ui"
)

// fakeProgram records what a stopRelay does to the program.
type fakeProgram struct {
	sent   chan tea.Msg
	killed chan struct{}
}

func (p *fakeProgram) Send(msg tea.Msg) { p.sent <- msg }
func (p *fakeProgram) Kill()            { close(p.killed) }

// The first stop signal reaches the screen as a StopMsg that names it and
// gives the cancel stopCancelTime. A second signal, or stopTimeout, kills
// the program and then, exitGrace later, ends the process; a program that
// ends by itself is left alone.
func TestStopSignalsReachTheScreenThenForceTheExit(t *testing.T) {
	ends := map[string]func(sigs chan<- os.Signal, timers chan<- time.Time, done chan<- struct{}){
		"second signal": func(sigs chan<- os.Signal, _ chan<- time.Time, _ chan<- struct{}) { sigs <- syscall.SIGTERM },
		"timeout":       func(_ chan<- os.Signal, timers chan<- time.Time, _ chan<- struct{}) { timers <- time.Now() },
		"quit":          func(_ chan<- os.Signal, _ chan<- time.Time, done chan<- struct{}) { close(done) },
	}
	for name, end := range ends {
		t.Run(name, func(t *testing.T) {
			sigs, timers, done := make(chan os.Signal, 2), make(chan time.Time), make(chan struct{})
			asked, exited, returned := make(chan time.Duration, 2), make(chan int, 1), make(chan struct{})
			p := &fakeProgram{sent: make(chan tea.Msg, 1), killed: make(chan struct{})}
			r := stopRelay{p: p, sigs: sigs, done: done, forced: make(chan struct{}),
				after: func(d time.Duration) <-chan time.Time { asked <- d; return timers },
				exit:  func(code int) { exited <- code }}
			go func() { defer close(returned); r.relay() }()

			before := time.Now()
			sigs <- syscall.SIGHUP
			stop, ok := (<-p.sent).(ui.StopMsg)
			if !ok || !strings.Contains(stop.Reason, "SIGHUP") {
				t.Fatalf("the screen got %#v; want a StopMsg naming SIGHUP", stop)
			}
			if d := <-asked; d != stopTimeout || stop.Deadline.Before(before.Add(stopCancelTime)) || stop.Deadline.After(time.Now().Add(stopCancelTime)) {
				t.Errorf("cancel deadline %v after the signal, kill after %v; want %v and %v", stop.Deadline.Sub(before), d, stopCancelTime, stopTimeout)
			}
			end(sigs, timers, done)
			if name == "quit" {
				<-returned
				select {
				case <-p.killed:
					t.Error("a program that quit by itself was killed")
				default:
				}
				return
			}
			<-p.killed
			if d := <-asked; d != exitGrace {
				t.Errorf("after the kill the relay waits %v; want exitGrace %v", d, exitGrace)
			}
			timers <- time.Now()
			if code := <-exited; code != exitError {
				t.Errorf("exit status %d, want %d", code, exitError)
			}
			<-returned
			select {
			case <-r.forced:
			default:
				t.Error("killed without saying so")
			}
		})
	}
}
