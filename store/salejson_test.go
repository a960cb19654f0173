package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/internal/benchpair"
)

// storedSales are sales as the kiosk writes them, from a sale just
// created to one with every field set.
func storedSales() []Sale {
	created := at(17, 9, 30, 0)
	paid := created.Add(12*time.Second + 345*time.Millisecond)
	full := Sale{
		OutTradeNo: "KT1_20240517093000123_0042", TerminalID: "T1", StoreID: "S1",
		Subject: "收款 测试 Café", AmountFen: 123456, Status: StatusPaid,
		TradeNo: "2024051722001400001234567890", BuyerLogonID: "138****0000", ReceiptNo: 42,
		CreatedAt: created, UpdatedAt: paid.Add(time.Hour), PaidAt: paid,
		History: []Event{
			{At: created, Status: StatusPending, Note: "created"},
			{At: paid, Status: StatusPaid, Note: "paid (notification)"},
		},
		Refunds: []Refund{
			{OutRequestNo: "R1", Fen: 100, At: paid.Add(time.Minute), ApprovedBy: "manager", Reason: "退款 broken cup",
				Status: RefundDone, FundChange: true, DoneAt: paid.Add(2 * time.Minute)},
			{OutRequestNo: "R2", Fen: 50, At: paid.Add(3 * time.Minute), Status: RefundFailed, Note: "ACQ.REFUND_AMT_NOT_EQUAL"},
		},
		RefundedFen:  100,
		RefundIfPaid: true,
		Method:       PayByCode,
	}
	pending := Sale{OutTradeNo: "K1", AmountFen: 1, Subject: "", Status: StatusPending, CreatedAt: created.UTC(), UpdatedAt: created,
		History: []Event{{At: created, Status: StatusPending, Note: "created"}}}
	return []Sale{full, pending, {}, {AmountFen: -5, ReceiptNo: 0, History: []Event{}}}
}

// TestStoredSalesDecodeInOnePass: the sales the kiosk writes, Chinese
// included, are read by decodeSaleFast, not left to encoding/json, and
// come out as encoding/json reads them.
func TestStoredSalesDecodeInOnePass(t *testing.T) {
	for _, sale := range storedSales() {
		data, err := json.Marshal(sale)
		if err != nil {
			t.Fatal(err)
		}
		var fast, slow Sale
		if !decodeSaleFast(data, &fast) {
			t.Errorf("decodeSaleFast refused %s", data)
			continue
		}
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("decodeSaleFast(%s)\n= %+v\nencoding/json: %+v", data, fast, slow)
		}
	}
}

// TestEveryFieldOfASaleDecodesInOnePass: a sale with every field set,
// whatever fields Sale, Event and Refund have, is read by decodeSaleFast.
// A field added to them without its key in salejson.go fails here (the
// one pass would leave every sale that has it to encoding/json).
func TestEveryFieldOfASaleDecodesInOnePass(t *testing.T) {
	var sale Sale
	fillEveryField(reflect.ValueOf(&sale).Elem())
	data, err := json.Marshal(sale)
	if err != nil {
		t.Fatal(err)
	}
	var fast, slow Sale
	if !decodeSaleFast(data, &fast) {
		t.Fatalf("decodeSaleFast refused a sale with every field set (a key missing in salejson.go?):\n%s", data)
	}
	if err := json.Unmarshal(data, &slow); err != nil || !reflect.DeepEqual(fast, slow) {
		t.Fatalf("decodeSaleFast(%s)\n= %+v\nencoding/json: %+v, %v", data, fast, slow, err)
	}
}

// fillEveryField sets every field of v, recursively, to a value that is
// not its zero: slices get one element.
func fillEveryField(v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(at(17, 9, 30, 0)))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fillEveryField(v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillEveryField(v.Index(0))
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fillEveryField: a field of kind " + v.Kind().String() + "; teach salejson.go and this test to read it")
	}
}

// TestSaleDecodingLeavesTheUnusualToEncodingJSON: what the one pass does
// not read the same as encoding/json is left to it, and the ledger reads
// it as encoding/json does.
func TestSaleDecodingLeavesTheUnusualToEncodingJSON(t *testing.T) {
	for _, data := range []string{
		`{"subject":"Tea \u0026 cake"}`,       // json.Marshal escapes &
		`{"subject":"a","subject":"b"}`,       // the last one wins
		`{"Subject":"a"}`,                     // keys match case-insensitively
		`{"subject":null}`,                    // null leaves the field
		`{"amount_fen":1.0}`,                  // not an integer: an error
		`{"amount_fen":1e2}`,                  // likewise
		`{"amount_fen":99999999999999999999}`, // out of range: an error
		`{"subject":"` + "\xff" + `"}`,        // invalid UTF-8 becomes U+FFFD
		`{"extra":1}`,                         // unknown keys are skipped
		`{"history":[{"at":"2024-05-17T09:00:00+08:00","status":"pending","x":1}]}`,
		`{"created_at":"2024-5-17T09:00:00Z"}`, // not RFC 3339: an error
		`{} {}`,                                // two values: an error
		`{"refund_if_paid":tru}`,
	} {
		var fast Sale
		if decodeSaleFast([]byte(data), &fast) {
			t.Errorf("decodeSaleFast took %s", data)
		}
	}
	// Through the store: the same sale whichever path reads it.
	s := mustOpen(t)
	for i, data := range []string{`{"out_trade_no":"A","subject":"Tea \u0026 cake"}`, `{"out_trade_no":"B","subject":"Tea & cake"}`} {
		got, err := s.decode([]byte("A"), []byte(data))
		if err != nil || got.Subject != "Tea & cake" {
			t.Errorf("sale %d: %+v, %v", i, got, err)
		}
	}
	if _, err := s.decode([]byte("X"), []byte(`{"amount_fen":1.5}`)); err == nil {
		t.Error("a sale whose amount is not an integer was decoded")
	}
}

// FuzzSaleDecodingAgreesWithEncodingJSON: whatever decodeSaleFast takes,
// encoding/json takes too, to the same sale.
func FuzzSaleDecodingAgreesWithEncodingJSON(f *testing.F) {
	for _, sale := range storedSales() {
		data, err := json.Marshal(sale)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		var indented bytes.Buffer
		if err := json.Indent(&indented, data, "", "\t"); err != nil {
			f.Fatal(err)
		}
		f.Add(indented.Bytes())
	}
	f.Add([]byte(`{"amount_fen":-0,"receipt_no":007}`))
	f.Add([]byte(`{"history":[],"refunds":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, slow Sale
		if !decodeSaleFast(data, &fast) {
			return
		}
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("decodeSaleFast took %q, which encoding/json refuses: %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("decodeSaleFast(%q)\n= %+v\nencoding/json: %+v", data, fast, slow)
		}
		var summary Sale
		if !decodeSummaryFast(data, &summary) {
			t.Fatalf("decodeSaleFast took %q, decodeSummaryFast did not", data)
		}
		if fast.History = nil; !reflect.DeepEqual(summary, fast) {
			t.Fatalf("decodeSummaryFast(%q)\n= %+v\nwant the sale without its history: %+v", data, summary, fast)
		}
	})
}

// BenchmarkDecodeSale decodes a paid sale as the ledger stores it, in one
// pass (decode) and with encoding/json, as the ledger read every sale
// before (json), interleaved: decode/json is what a day's reading saves.
func BenchmarkDecodeSale(b *testing.B) {
	s := mustOpen(b)
	mustCreate(b, s, newSale("KT1_20240517093000123_0042", 1234, at(17, 9, 30, 0)))
	if _, _, err := s.MarkPaid("KT1_20240517093000123_0042", Payment{TradeNo: "2024051722001400001234567890", BuyerLogonID: "138****0000", PaidAt: at(17, 9, 30, 12)}); err != nil {
		b.Fatal(err)
	}
	var data []byte
	if err := s.view(func(tx *bolt.Tx) error {
		data = bytes.Clone(tx.Bucket(bucketSales).Get([]byte("KT1_20240517093000123_0042")))
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(data)), "bytes/sale")
	benchpair.Compare(b,
		benchpair.Side{Name: "decode", Run: func(b *testing.B) {
			if _, err := s.decode([]byte("K"), data); err != nil {
				b.Fatal(err)
			}
		}},
		benchpair.Side{Name: "json", Run: func(b *testing.B) {
			var sale Sale
			if err := json.Unmarshal(data, &sale); err != nil {
				b.Fatal(err)
			}
			s.localize(&sale)
		}})
}

// TestMarshalledTimeIsUnmarshalJSONs: every time json.Marshal writes, in
// years 0 to 9999, in UTC, the host's zone, the shop's and fixed offsets
// east and west (of whole minutes too), to the second and to the
// nanosecond, marshalledTime reads, into the very time UnmarshalJSON makes
// of it (location included); the near misses it leaves to UnmarshalJSON.
func TestMarshalledTimeIsUnmarshalJSONs(t *testing.T) {
	zones := []*time.Location{time.UTC, time.Local, shanghai, time.FixedZone("", -9*3600-30*60),
		time.FixedZone("", 5*3600+45*60), time.FixedZone("X", 14*3600), time.FixedZone("", -12*3600)}
	rng := rand.New(rand.NewPCG(13, 13))
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	last := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	for i := range 20000 {
		nsec := []int64{0, rng.Int64N(1e9), rng.Int64N(1000) * 1e6, 500}[i%4]
		at := time.Unix(first+rng.Int64N(last-first), nsec).In(zones[i%len(zones)])
		if i%7 == 0 { // the edges of days, months and years
			at = time.Date(rng.IntN(10000), time.Month(1+rng.IntN(12)), []int{1, 28, 29, 30, 31}[rng.IntN(5)],
				[]int{0, 23}[rng.IntN(2)], 59, 59, int(nsec), zones[i%len(zones)])
		}
		data, err := json.Marshal(at)
		if err != nil {
			continue // outside the years json.Marshal writes
		}
		assertMarshalledTime(t, data[1:len(data)-1], true)
	}
	for _, s := range []string{
		"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2000-02-29T23:59:59.999999999-23:59",
		"2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-05-00T00:00:00Z",
		"2024-05-17T24:00:00Z", "2024-05-17T09:60:00Z", "2024-05-17T09:30:60Z", "2024-05-17T9:30:00Z",
		"2024-05-17T09:30:00,5Z", "2024-05-17T09:30:00.Z", "2024-05-17T09:30:00.1234567891Z",
		"2024-05-17T09:30:00.5", "2024-05-17T09:30:00+24:00", "2024-05-17T09:30:00+08:60", "2024-05-17T09:30:00-00:00",
		"2024-05-17T09:30:00+0800", "2024-05-17T09:30:00z", "2024-05-17t09:30:00Z", "2024-05-17 09:30:00Z",
		"+024-05-17T09:30:00Z", "2024-05-17T09:30:00+08:00 ", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+14:00",
		"2024-05-17T09:30:00.000000000Z", "2024-05-1/T09:30:00Z", "2024-05-17T09:30:00+0/:00",
	} {
		assertMarshalledTime(t, []byte(s), false)
	}
}

// assertMarshalledTime checks marshalledTime(s) against UnmarshalJSON:
// what it reads UnmarshalJSON reads alike; must says it must read it.
func assertMarshalledTime(t *testing.T, s []byte, must bool) {
	t.Helper()
	var want time.Time
	wantErr := want.UnmarshalJSON(append(append([]byte{'"'}, s...), '"'))
	got, ok := marshalledTime(s)
	switch {
	case ok && wantErr != nil:
		t.Errorf("marshalledTime(%q) = %v; UnmarshalJSON refuses it: %v", s, got, wantErr)
	case ok && !reflect.DeepEqual(got, want):
		t.Errorf("marshalledTime(%q) = %#v (%v); UnmarshalJSON %#v (%v)", s, got, got, want, want)
	case !ok && must:
		t.Errorf("marshalledTime(%q) left to UnmarshalJSON a time json.Marshal writes", s)
	}
}

// FuzzMarshalledTime: whatever marshalledTime reads, UnmarshalJSON reads
// alike.
func FuzzMarshalledTime(f *testing.F) {
	for _, s := range []string{"2024-05-17T09:30:12.345+08:00", "2024-02-29T23:59:59Z", "0000-03-01T00:00:00.000000001-09:30"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) { assertMarshalledTime(t, s, false) })
}
