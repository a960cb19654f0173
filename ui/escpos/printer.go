package escpos

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// Options bound how long a printer may keep the caller waiting. A zero
// field takes its default.
type Options struct {
	// DialTimeout bounds connecting to a network printer (default 3 s).
	DialTimeout time.Duration
	// WriteTimeout bounds every single write of at most 4 KiB (default 5 s):
	// a printer that takes no data for that long has stalled.
	WriteTimeout time.Duration
	// StatusTimeout bounds the wait for a network printer's status reply
	// (default 2 s).
	StatusTimeout time.Duration
	// SkipStatus sends a job to a network printer without asking its status
	// before and after: for a printer that does not answer DLE EOT. Errors
	// are then only what the connection shows, and a job the printer never
	// took from the network goes unnoticed.
	SkipStatus bool
}

// The defaults of Options.
const (
	DefaultDialTimeout   = 3 * time.Second
	DefaultWriteTimeout  = 5 * time.Second
	DefaultStatusTimeout = 2 * time.Second
)

// writeChunk is the most written under one deadline, so that a long job on
// a slow but working printer is not mistaken for a stall.
const writeChunk = 4096

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.DialTimeout, DefaultDialTimeout)
	def(&o.WriteTimeout, DefaultWriteTimeout)
	def(&o.StatusTimeout, DefaultStatusTimeout)
	return o
}

// port is the connection to a printer: a socket or a device file.
type port interface {
	io.ReadWriteCloser
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

// A Printer is an open connection to one printer. It is for one goroutine
// at a time; open one per job, or guard it.
type Printer struct {
	addr Address
	opts Options
	port port
}

// Open connects to the printer at addr. A network printer is dialled within
// DialTimeout; a device file is opened without waiting. The error is an
// *Error (NotConnected, NoPermission, TimedOut, …).
func Open(ctx context.Context, addr Address, opts Options) (*Printer, error) {
	p := &Printer{addr: addr, opts: opts.withDefaults()}
	var err error
	switch {
	case addr.IsNetwork():
		p.port, err = p.dial(ctx)
	case addr.Device != "":
		p.port, err = openDevice(addr.Device)
	default:
		return nil, &Error{Kind: Failed, Op: "open", Err: errors.New("no printer address given")}
	}
	if err != nil {
		return nil, p.fail("open", err)
	}
	return p, nil
}

func (p *Printer) dial(ctx context.Context) (port, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.DialTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", p.addr.Host)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// openDevice opens a printer device for writing. O_NONBLOCK keeps the open
// itself from waiting (a FIFO with no reader fails at once with ENXIO), and
// lets the runtime poll the device so that write deadlines work; a file the
// runtime cannot poll gets its deadlines from a timer instead.
func openDevice(path string) (port, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: path, Err: syscall.EISDIR}
	}
	if err := f.SetWriteDeadline(time.Time{}); errors.Is(err, os.ErrNoDeadline) {
		return &timedFile{f: f}, nil
	}
	return f, nil
}

// Address is the printer this connection is to.
func (p *Printer) Address() Address { return p.addr }

// Close closes the connection.
func (p *Printer) Close() error { return p.port.Close() }

// Status asks the printer how it is. A network printer answers DLE EOT 1, 2
// and 4 within StatusTimeout; a device is asked through its driver (Linux
// LPGETSTATUS) and, where the driver cannot say, Status.Known is false.
func (p *Printer) Status(ctx context.Context) (Status, error) {
	if !p.addr.IsNetwork() {
		return deviceStatus(p.port), nil
	}
	return p.queryStatus(ctx, "status")
}

// Print sends a job (Document.Bytes) to the printer. A network printer is
// asked its status first, and nothing is sent if it is out of paper, has its
// cover open or is offline; it is asked again after the job, which confirms
// that it took every byte and tells if the paper ran out meanwhile (the
// receipt may then be incomplete). Every write has WriteTimeout. The error
// is an *Error; a cancelled ctx stops the job between two writes.
func (p *Printer) Print(ctx context.Context, job []byte) error {
	check := p.addr.IsNetwork() && !p.opts.SkipStatus
	if check {
		if err := p.requireReady(ctx, "status"); err != nil {
			return err
		}
	}
	if err := p.write(ctx, "write", job); err != nil {
		return p.explain(err)
	}
	if check {
		return p.requireReady(ctx, "confirm")
	}
	return nil
}

// Print sends job to the printer at address and closes the connection: the
// one call a caller needs. The error is an *AddressError for an address that
// does not parse, else an *Error.
func Print(ctx context.Context, address string, job []byte, opts Options) error {
	addr, err := ParseAddress(address)
	if err != nil {
		return err
	}
	p, err := Open(ctx, addr, opts)
	if err != nil {
		return err
	}
	err = p.Print(ctx, job)
	if cerr := p.Close(); err == nil && cerr != nil {
		err = p.fail("close", cerr)
	}
	return err
}

func (p *Printer) requireReady(ctx context.Context, op string) error {
	st, err := p.queryStatus(ctx, op)
	if err != nil {
		return err
	}
	if k := st.Problem(); k != 0 {
		return &Error{Kind: k, Address: p.addr.String(), Op: op, Status: &st}
	}
	return nil
}

// queryStatus sends DLE EOT 1, 2, 4 and reads the three replies, skipping
// any byte that is not one (such as Automatic Status Back).
func (p *Printer) queryStatus(ctx context.Context, op string) (Status, error) {
	if err := p.write(ctx, op, statusQuery()); err != nil {
		return Status{}, err
	}
	if err := p.port.SetReadDeadline(p.deadline(ctx, p.opts.StatusTimeout)); err != nil {
		return Status{}, p.fail(op, err)
	}
	replies := make([]byte, 0, len(statusRequests))
	buf := make([]byte, 16)
	for len(replies) < len(statusRequests) {
		n, err := p.port.Read(buf)
		for _, b := range buf[:n] {
			if isStatusReply(b) && len(replies) < len(statusRequests) {
				replies = append(replies, b)
			}
		}
		if err != nil && len(replies) < len(statusRequests) {
			return Status{}, p.fail(op, err)
		}
	}
	return parseStatus(replies[0], replies[1], replies[2]), nil
}

// write sends b in chunks, each under its own deadline.
func (p *Printer) write(ctx context.Context, op string, b []byte) error {
	for len(b) > 0 {
		if err := ctx.Err(); err != nil {
			return p.fail(op, err)
		}
		if err := p.port.SetWriteDeadline(p.deadline(ctx, p.opts.WriteTimeout)); err != nil {
			return p.fail(op, err)
		}
		n, err := p.port.Write(b[:min(len(b), writeChunk)])
		if err != nil {
			return p.fail(op, err)
		}
		b = b[n:]
	}
	return nil
}

// deadline is now+d, or ctx's deadline if that is sooner.
func (p *Printer) deadline(ctx context.Context, d time.Duration) time.Time {
	t := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(t) {
		return cd
	}
	return t
}

func (p *Printer) fail(op string, err error) *Error {
	kind := classify(err)
	if errors.Is(err, context.Canceled) {
		kind = Failed
	}
	return &Error{Kind: kind, Address: p.addr.String(), Op: op, Err: err}
}

// explain adds what a device's driver knows to a failed write: a write that
// timed out on a USB printer is most often paper out or offline.
func (p *Printer) explain(err error) error {
	var pe *Error
	if p.addr.IsNetwork() || !errors.As(err, &pe) || pe.Kind == NotConnected {
		return err
	}
	if st := deviceStatus(p.port); st.Problem() != 0 {
		pe.Kind, pe.Status = st.Problem(), &st
	}
	return err
}

// timedFile gives write deadlines to a file the runtime cannot poll (a
// regular file, a parallel-port lp device): each write runs in a goroutine
// and is abandoned, with the file closed, when the deadline passes. Reads
// are not needed from a device: its status comes from the driver.
type timedFile struct {
	f        *os.File
	deadline time.Time
}

func (t *timedFile) Read(b []byte) (int, error)         { return t.f.Read(b) }
func (t *timedFile) Close() error                       { return t.f.Close() }
func (t *timedFile) SetReadDeadline(time.Time) error    { return nil }
func (t *timedFile) SetWriteDeadline(d time.Time) error { t.deadline = d; return nil }

func (t *timedFile) Write(b []byte) (int, error) {
	if t.deadline.IsZero() {
		return t.f.Write(b)
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := t.f.Write(b)
		done <- result{n, err}
	}()
	timer := time.NewTimer(time.Until(t.deadline))
	defer timer.Stop()
	select {
	case r := <-done:
		return r.n, r.err
	case <-timer.C:
		// Closing may free the blocked write; if the driver ignores it, the
		// goroutine stays blocked, but the caller goes on.
		t.f.Close()
		return 0, os.ErrDeadlineExceeded
	}
}
