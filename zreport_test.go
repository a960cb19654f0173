package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/pos"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// TestPrintedZReportIsTheStoredOne: the JSON that kiosk ledger report
// prints of a Z report has the shape, and the values, of the Z report the
// ledger stores: the ledger and the command line each write it, and they
// must not drift apart.
func TestPrintedZReportIsTheStoredOne(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	sale, err := c.register.Start(ctx, 1234, "Z")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.server.Pay(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	if res, err := c.register.Poll(ctx, sale); err != nil || res.Progress != pos.Paid {
		t.Fatalf("poll: %+v, %v", res, err)
	}
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	date := c.register.Today()
	z, err := c.register.CloseDay(date, "246813")
	if err != nil {
		t.Fatal(err)
	}
	c.close()

	var printed bytes.Buffer
	if err := cli.WriteReport(&printed, z, "json"); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored []byte
	if err := db.View(func(tx *bolt.Tx) error {
		stored = append(stored, tx.Bucket([]byte("zreports")).Get([]byte(date))...)
		return nil
	}); err != nil || stored == nil {
		t.Fatalf("the stored Z report of %s: %q, %v", date, stored, err)
	}
	var a, b map[string]any
	if err := json.Unmarshal(printed.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(stored, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("printed:\n%s\nstored:\n%s", printed.String(), stored)
	}
}

// TestClosedDayShowsItsStoredZReport: after the close, kiosk ledger report
// prints the stored Z report marked as a copy, with the figures of the
// close even when a refund came later, for ever; and a sale after the
// close is refused with a plain sentence.
func TestClosedDayShowsItsStoredZReport(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := t.Context()
	sale, date := sellAndPay(t, c, 1234, "Z")
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	z, err := c.register.CloseDay(date, "246813")
	if err != nil || z.Copy {
		t.Fatalf("close: %+v, %v", z, err)
	}
	if _, err := c.register.Refund(ctx, pos.RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 234, PIN: "246813"}); err != nil {
		t.Fatal(err)
	}

	if c.register.Today() == date { // the closed day is still today
		_, err = c.register.Start(ctx, 500, "")
		var closed *pos.DayClosedError
		if !errors.As(err, &closed) || closed.Date != date || closed.ZNumber != 1 {
			t.Fatalf("a sale after the close: %v", err)
		}
		if got := words.English.Explain(err); !strings.Contains(got, "no more sales today") {
			t.Errorf("the refusal says %q", got)
		}
	}

	var out bytes.Buffer
	if err := runCommand(&out, "ledger", "report", "--data", dir, "--date", date); err != nil {
		t.Fatal(err)
	}
	// The figures are the close's; a note says a refund came after it.
	if s := out.String(); !strings.HasPrefix(s, "Z REPORT No. 0001 · COPY\n") || !strings.Contains(s, "Net                  ¥12.34") ||
		!strings.Contains(s, "refunds made after this day closed: 1, ¥2.34") {
		t.Errorf("kiosk ledger report after the close:\n%s", s)
	}
	out.Reset()
	if err := runCommand(&out, "ledger", "report", "--data", dir, "--date", date, "--format", "json"); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Kind   string `json:"kind"`
		Number int    `json:"number"`
		Copy   bool   `json:"copy"`
	}
	if err := json.Unmarshal(out.Bytes(), &j); err != nil || j.Kind != "Z" || j.Number != 1 || !j.Copy {
		t.Errorf("--format json: %+v, %v\n%s", j, err, out.String())
	}
	if again, err := c.register.CloseDay(date, "246813"); err != nil || !again.Copy || again.Number != 1 {
		t.Errorf("closing again: %+v, %v; want the stored No. 0001 as a copy", again, err)
	}
}
