package main

import (
	"bytes"
	"log"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"kiosk/pos"
	"kiosk/store"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// floodLimits are the test's notify limits: few connections, and silent
// ones dropped quickly, so that the flood drains in a fraction of a second.
var floodLimits = pos.NotifyLimits{Conns: 4, ReadHeader: 100 * time.Millisecond, Read: 2 * time.Second, Write: 2 * time.Second}

// flood opens n connections to addr that never send a byte.
func flood(t *testing.T, addr string, n int) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("idle connection: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
}

// stdLog captures what the standard logger prints, which goes to stderr:
// under the kiosk, onto the cashier's screen.
func stdLog(t *testing.T) *syncBuffer {
	var b syncBuffer
	log.SetOutput(&b)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &b
}

// The whole kiosk with its notify port flooded keeps selling, and the
// emulator's signed notification of the payment still lands in the ledger.
func TestFloodedKioskStillTakesAPaymentNotification(t *testing.T) {
	stderr := stdLog(t)
	plan := mustPlan(t, fileConfig{PollInterval: duration{time.Minute}})
	plan.notify = floodLimits
	dir := t.TempDir()
	c, err := openCounter(plan, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	u, err := url.Parse(c.register.Config().NotifyURL)
	if err != nil {
		t.Fatal(err)
	}
	flood(t, u.Host, 5*floodLimits.Conns)

	sale, err := c.register.Start(t.Context(), 1234, "flood")
	if err != nil {
		t.Fatalf("start a sale with the notify port flooded: %v", err)
	}
	if err := c.server.Emulator.Pay(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-c.register.Notified():
		if n.OutTradeNo != sale.OutTradeNo || !n.Paid {
			t.Fatalf("notified %+v, want %s paid", n, sale.OutTradeNo)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the payment's notification never got through the flood")
	}
	s, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil || s.Status != store.StatusPaid {
		t.Errorf("ledger: %+v, %v; want the sale paid", s.Status, err)
	}
	if s := stderr.String(); s != "" {
		t.Errorf("stderr:\n%s", s)
	}
}
