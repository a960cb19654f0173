// Package printertest is a network receipt printer on loopback, for tests:
// it answers ESC/POS real-time status requests (DLE EOT 1, 2, 4) as the
// test sets it (ready, out of paper, cover open, or not at all, as print
// servers that do not implement them), keeps the bytes of every
// job it gets, and can be unplugged (its port refuses connections) and
// plugged in again on the same port. Dump reads a job back as text, its
// commands named and its lines decoded from GB18030, for golden files and
// for tests that check what would have printed.
package printertest

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The replies to DLE EOT n of a ready printer, and the bits that say
// otherwise, as the ESC/POS reference gives them.
const (
	replyReady     = 0x12
	replyCoverOpen = 0x12 | 0x04 // DLE EOT 2, bit 2
	replyPaperEnd  = 0x12 | 0x60 // DLE EOT 4, bits 5–6
)

// State is how the printer answers its status requests.
type State int

// The printer's states.
const (
	Ready State = iota
	OutOfPaper
	CoverOpen
	// Silent takes connections and jobs but never answers a status
	// request, as a print server or a plain TCP port (nc -lk 9100).
	Silent
)

// Printer is a fake network printer. Its methods are safe for concurrent
// use.
type Printer struct {
	t    testing.TB
	addr string

	mu    sync.Mutex
	ln    net.Listener
	state State
	jobs  [][]byte      // one per connection that ended, in the order they ended
	ended chan struct{} // a value per connection that ended
}

// Start listens on a loopback port until the test ends.
func Start(t testing.TB) *Printer {
	t.Helper()
	p := &Printer{t: t, ended: make(chan struct{}, 64)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Unplug)
	return p
}

// Address is the printer's address as a kiosk's config names it.
func (p *Printer) Address() string { return "tcp://" + p.addr }

// Set makes the printer answer its next status requests as s.
func (p *Printer) Set(s State) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
}

// Unplug closes the printer's port: a connection is refused, as when a
// network printer is switched off or its cable is out.
func (p *Printer) Unplug() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
}

// PlugIn opens the printer's port again, on the same address.
func (p *Printer) PlugIn() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("plug the printer in again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func (p *Printer) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.take(c)
		}
	}()
}

// take reads one connection to its end, answering status requests.
func (p *Printer) take(c net.Conn) {
	defer c.Close()
	var got []byte
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		for _, b := range buf[:n] {
			got = append(got, b)
			if k := len(got); k >= 3 && got[k-3] == 0x10 && got[k-2] == 0x04 && p.answers() {
				c.Write([]byte{p.reply(got[k-1])})
			}
		}
		if err != nil {
			break
		}
	}
	p.mu.Lock()
	p.jobs = append(p.jobs, got)
	p.mu.Unlock()
	p.ended <- struct{}{}
}

// answers reports whether the printer answers status requests now.
func (p *Printer) answers() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state != Silent
}

func (p *Printer) reply(n byte) byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case n == 2 && p.state == CoverOpen:
		return replyCoverOpen
	case n == 4 && p.state == OutOfPaper:
		return replyPaperEnd
	}
	return replyReady
}

// Wait waits until n more connections have ended since the last Wait and
// returns every job so far, each as the printer got it: the status
// requests, the job, the status requests after it.
func (p *Printer) Wait(n int) [][]byte {
	p.t.Helper()
	for range n {
		select {
		case <-p.ended:
		case <-time.After(30 * time.Second): // only a hung kiosk takes this long
			p.t.Fatalf("the printer got %d connection(s), the test waits for %d", len(p.Jobs()), n)
		}
	}
	return p.Jobs()
}

// Jobs are the connections that have ended so far.
func (p *Printer) Jobs() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	jobs := make([][]byte, len(p.jobs))
	copy(jobs, p.jobs)
	return jobs
}

// Printed is the job in what a connection got, without the status requests
// before and after it; nil when the connection sent nothing after them (a
// printer that refused the job).
func Printed(conn []byte) []byte {
	const query = "\x10\x04\x01\x10\x04\x02\x10\x04\x04"
	s := strings.TrimPrefix(string(conn), query)
	s = strings.TrimSuffix(s, query)
	if s == "" || s == string(conn) {
		return nil
	}
	return []byte(s)
}

// Dump reads a job as a printer would and writes it one command or line of
// text a line: "ESC @", "ESC a 01", `TEXT "小票号 0007"`, `QR store
// "K1"`. Text is decoded from GB18030; a byte the dump cannot read is
// written as "?? 1f".
func Dump(job []byte) string {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var b strings.Builder
	var text []byte
	fixed := map[string]struct {
		name string
		args int
	}{
		"\x1b@": {"ESC @", 0}, "\x1c&": {"FS &", 0}, "\x1c.": {"FS .", 0},
		"\x1ba": {"ESC a", 1}, "\x1bE": {"ESC E", 1}, "\x1bd": {"ESC d", 1}, "\x1d!": {"GS !", 1},
		"\x1dV": {"GS V", 2}, "\x10\x04": {"DLE EOT", 1},
	}
	qr := map[byte]string{65: "QR model", 67: "QR module", 69: "QR level", 80: "QR store", 81: "QR print"}
	for i := 0; i < len(job); {
		c := job[i]
		switch {
		case c == '\n':
			s, err := dec.Bytes(text)
			if err != nil {
				s = []byte(fmt.Sprintf("% x", text))
			}
			fmt.Fprintf(&b, "TEXT %q\n", s)
			text, i = text[:0], i+1
			continue
		case c >= 0x20:
			text, i = append(text, c), i+1
			continue
		case i+4 < len(job) && string(job[i:i+3]) == "\x1d(k":
			n := int(job[i+3]) | int(job[i+4])<<8
			if i+5+n > len(job) || n < 2 {
				break
			}
			fn, params := job[i+6], job[i+7:i+5+n]
			if fn == 80 {
				fmt.Fprintf(&b, "%s %q\n", qr[fn], params[1:])
			} else {
				fmt.Fprintf(&b, "%s % x\n", qr[fn], params)
			}
			i += 5 + n
			continue
		case i+1 < len(job):
			if cmd, ok := fixed[string(job[i:i+2])]; ok && i+2+cmd.args <= len(job) {
				if cmd.args == 0 {
					fmt.Fprintf(&b, "%s\n", cmd.name)
				} else {
					fmt.Fprintf(&b, "%s % x\n", cmd.name, job[i+2:i+2+cmd.args])
				}
				i += 2 + cmd.args
				continue
			}
		}
		fmt.Fprintf(&b, "?? %02x\n", c)
		i++
	}
	if len(text) > 0 {
		fmt.Fprintf(&b, "TEXT (unended) % x\n", text)
	}
	return b.String()
}

// Lines are the lines of text of a job, decoded, in order.
func Lines(job []byte) []string {
	var lines []string
	for _, l := range strings.Split(Dump(job), "\n") {
		if s, ok := strings.CutPrefix(l, "TEXT "); ok {
			var text string
			fmt.Sscanf(s, "%q", &text)
			lines = append(lines, text)
		}
	}
	return lines
}
