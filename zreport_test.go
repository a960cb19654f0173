package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/pos"
	"kiosk/ui/cli"
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
	if err := c.ledger.SetManagerPIN("2468"); err != nil {
		t.Fatal(err)
	}
	date := c.register.Today()
	z, err := c.register.CloseDay(date, "2468")
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
