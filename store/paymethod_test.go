package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestPayMethodIsRecorded: a sale keeps the way it was to be paid; one
// created without a way is a QR sale, and no other way is accepted.
func TestPayMethodIsRecorded(t *testing.T) {
	s := mustOpen(t)
	byCode := newSale("CODE", 100, at(17, 9, 0, 0))
	byCode.Method = PayByCode
	mustCreate(t, s, byCode, newSale("QR", 100, at(17, 9, 1, 0)))
	if got := mustGet(t, s, "CODE").Method; got != PayByCode {
		t.Errorf("payment-code sale reads back as %q", got)
	}
	if got := mustPay(t, s, "CODE", at(17, 9, 2, 0)).Method; got != PayByCode {
		t.Errorf("paid payment-code sale reads back as %q", got)
	}
	if got := mustGet(t, s, "QR").Method; got != PayByQR {
		t.Errorf("a sale created without a method reads back as %q, want qr", got)
	}
	bad := newSale("BAD", 100, at(17, 9, 3, 0))
	bad.Method = "cash"
	if err := s.Create(bad); !errors.Is(err, ErrInvalidSale) {
		t.Errorf("Create with method cash = %v, want ErrInvalidSale", err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// TestSaleFromBeforePaymentCodesIsAQRSale: a sale stored before the
// ledger knew ways to pay has no method; it reads as QR, passes the check,
// counts as QR in the report, and stays so once it changes.
func TestSaleFromBeforePaymentCodesIsAQRSale(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("OLD", 700, at(17, 9, 0, 0)))
	stripMethod(t, s, "OLD")
	if got := mustGet(t, s, "OLD").Method; got != PayByQR {
		t.Fatalf("an old sale reads as %q, want qr", got)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check of a ledger with an old sale = %v", err)
	}
	if got := mustPay(t, s, "OLD", at(17, 9, 1, 0)).Method; got != PayByQR {
		t.Errorf("the old sale, paid, reads as %q", got)
	}
	r, err := s.Report("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ByMethod[PayByQR]; got != (MethodTotals{Count: 1, Paid: 1, PaidFen: 700}) {
		t.Errorf("the old sale in the report's split: %+v", r.ByMethod)
	}
}

// stripMethod rewrites sale no as a kiosk before payment codes stored it.
func stripMethod(t *testing.T, s *Store, no string) {
	t.Helper()
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSales)
		sale, err := s.load(tx, no)
		if err != nil {
			return err
		}
		sale.Method = ""
		v, err := json.Marshal(sale)
		if err != nil {
			return err
		}
		return b.Put([]byte(no), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		var doc map[string]any
		if err := json.Unmarshal(tx.Bucket(bucketSales).Get([]byte(no)), &doc); err != nil {
			return err
		}
		if _, ok := doc["method"]; ok {
			return errors.New("the stored sale still has a method")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReportSplitsByPayMethod: the X report, and the Z report as stored
// and read back, split the day's sales and money by the way each was to
// be paid; the split adds up to the totals.
func TestReportSplitsByPayMethod(t *testing.T) {
	s := mustOpen(t)
	seedHours(t, s) // A, B, E and OLD paid; all QR
	codes := []Sale{newSale("P1", 4000, at(17, 10, 0, 0)), newSale("P2", 600, at(17, 11, 0, 0)), newSale("P3", 900, at(17, 11, 30, 0))}
	for i := range codes {
		codes[i].Method = PayByCode
	}
	mustCreate(t, s, codes...)
	mustPay(t, s, "P1", at(17, 10, 0, 5))
	mustPay(t, s, "P2", at(17, 11, 0, 5))
	mustRequest(t, s, "P2", Refund{OutRequestNo: "P2-R1", Fen: 100, ApprovedBy: "Li"})
	mustComplete(t, s, "P2", "P2-R1")
	if _, err := s.SetStatus("P3", StatusFailed, at(17, 11, 30, 1), "refused: balance too low", ""); err != nil {
		t.Fatal(err)
	}

	want := map[PayMethod]MethodTotals{
		PayByQR:   {Count: 5, Paid: 3, PaidFen: 3500, RefundedFen: 2200},
		PayByCode: {Count: 3, Paid: 2, PaidFen: 4600, RefundedFen: 100},
	}
	x, err := s.Report("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(x.ByMethod, want) {
		t.Errorf("X report by method %+v\n  want %+v", x.ByMethod, want)
	}
	var sum MethodTotals
	for _, v := range x.ByMethod {
		sum = MethodTotals{Count: sum.Count + v.Count, Paid: sum.Paid + v.Paid, PaidFen: sum.PaidFen + v.PaidFen, RefundedFen: sum.RefundedFen + v.RefundedFen}
	}
	if tt := x.Totals; sum != (MethodTotals{Count: tt.Count, Paid: tt.Paid, PaidFen: tt.PaidFen, RefundedFen: tt.RefundedFen}) {
		t.Errorf("the split %+v does not add up to the totals %+v", sum, tt)
	}
	z, _, err := s.CloseDay("2024-05-17", at(17, 22, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	stored, ok, err := s.ZReport("2024-05-17")
	if err != nil || !ok || !reflect.DeepEqual(stored.ByMethod, want) || !reflect.DeepEqual(z.ByMethod, want) {
		t.Errorf("Z report by method: made %+v, stored %+v (%v, %v); want %+v", z.ByMethod, stored.ByMethod, ok, err, want)
	}

	empty, err := mustOpen(t).Report("2024-05-17")
	if err != nil || !reflect.DeepEqual(empty.ByMethod, map[PayMethod]MethodTotals{PayByQR: {}, PayByCode: {}}) {
		t.Errorf("a day without sales splits as %+v, %v; want both methods at zero", empty.ByMethod, err)
	}
}

// TestZReportFromBeforePaymentCodesIsAllQR: a Z report stored before
// reports had the split reads back with every sale as a QR sale.
func TestZReportFromBeforePaymentCodesIsAllQR(t *testing.T) {
	s := mustOpen(t)
	seedHours(t, s)
	z, _, err := s.CloseDay("2024-05-17", at(17, 22, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketZReports)
		var doc map[string]any
		if err := json.Unmarshal(b.Get([]byte("2024-05-17")), &doc); err != nil {
			return err
		}
		delete(doc, "by_method")
		v, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		return b.Put([]byte("2024-05-17"), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	old, ok, err := s.ZReport("2024-05-17")
	if err != nil || !ok {
		t.Fatalf("ZReport = %v, %v", ok, err)
	}
	want := map[PayMethod]MethodTotals{PayByQR: {Count: 5, Paid: 3, PaidFen: 3500, RefundedFen: 2200}, PayByCode: {}}
	if !reflect.DeepEqual(old.ByMethod, want) {
		t.Errorf("an old Z report splits as %+v, want %+v", old.ByMethod, want)
	}
	if old.Totals != z.Totals {
		t.Errorf("totals changed: %+v, want %+v", old.Totals, z.Totals)
	}
}
