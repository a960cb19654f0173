package ui

import (
	"os"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// fakeProgram records what a stopRelay does to the program.
type fakeProgram struct {
	sent   chan tea.Msg
	killed chan struct{}
}

func (p *fakeProgram) Send(msg tea.Msg) { p.sent <- msg }
func (p *fakeProgram) Kill()            { close(p.killed) }

// The first stop signal reaches the screen as a StopMsg that names it and
// gives the cancel StopCancelTime. A second signal, or StopTimeout, kills
// the program and then, ExitGrace later, ends the process; a program that
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
			asked, exited, returned := make(chan time.Duration, 2), make(chan struct{}, 1), make(chan struct{})
			p := &fakeProgram{sent: make(chan tea.Msg, 1), killed: make(chan struct{})}
			r := stopRelay{p: p, sigs: sigs, done: done, forced: make(chan struct{}),
				after: func(d time.Duration) <-chan time.Time { asked <- d; return timers },
				exit:  func() { exited <- struct{}{} }}
			go func() { defer close(returned); r.relay() }()

			before := time.Now()
			sigs <- syscall.SIGHUP
			stop, ok := (<-p.sent).(StopMsg)
			if !ok || stop.Reason.Signal() != "SIGHUP" {
				t.Fatalf("the screen got %#v; want a StopMsg naming SIGHUP", stop)
			}
			if d := <-asked; d != StopTimeout || stop.Deadline.Before(before.Add(StopCancelTime)) || stop.Deadline.After(time.Now().Add(StopCancelTime)) {
				t.Errorf("cancel deadline %v after the signal, kill after %v; want %v and %v", stop.Deadline.Sub(before), d, StopCancelTime, StopTimeout)
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
			if d := <-asked; d != ExitGrace {
				t.Errorf("after the kill the relay waits %v; want ExitGrace %v", d, ExitGrace)
			}
			timers <- time.Now()
			<-exited // main's forceExit, which exits with exitError
			<-returned
			select {
			case <-r.forced:
			default:
				t.Error("killed without saying so")
			}
		})
	}
}
