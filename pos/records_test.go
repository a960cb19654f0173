package pos

import (
	"reflect"
	"testing"
	"time"

	"kiosk/store"
)

// sameFields checks that every field of the ledger's value has a field of
// the same name and value in pos's, so that no field the ledger gains is
// silently dropped on its way to the screens.
func sameFields(t *testing.T, what string, ledger, ours any) {
	t.Helper()
	lv, ov := reflect.ValueOf(ledger), reflect.ValueOf(ours)
	for i := range lv.NumField() {
		name := lv.Type().Field(i).Name
		of := ov.FieldByName(name)
		if !of.IsValid() {
			t.Errorf("%s: pos has no field %s", what, name)
			continue
		}
		lf := lv.Field(i)
		switch lf.Kind() {
		case reflect.Struct:
			if _, isTime := lf.Interface().(time.Time); !isTime {
				sameFields(t, what+"."+name, lf.Interface(), of.Interface())
				continue
			}
		case reflect.Slice, reflect.Array:
			if lf.Len() != of.Len() || lf.Len() == 0 {
				t.Errorf("%s.%s: %d entries in the ledger, %d in pos (the test wants some)", what, name, lf.Len(), of.Len())
				continue
			}
			for j := range lf.Len() {
				if lf.Index(j).Kind() == reflect.Struct {
					sameFields(t, what+"."+name, lf.Index(j).Interface(), of.Index(j).Interface())
				}
			}
			continue
		case reflect.Map:
			if lf.Len() != of.Len() || lf.Len() == 0 {
				t.Errorf("%s.%s: %d entries in the ledger, %d in pos (the test wants some)", what, name, lf.Len(), of.Len())
			}
			continue
		}
		if n, ok := of.Interface().(Note); ok { // the ledger's string, read
			if lf.String() != n.String() {
				t.Errorf("%s.%s = %q, want %q", what, name, n.String(), lf.String())
			}
			continue
		}
		if lf.Kind() == reflect.String {
			if lf.String() != of.String() {
				t.Errorf("%s.%s = %q, want %q", what, name, of.String(), lf.String())
			}
			continue
		}
		if !reflect.DeepEqual(lf.Interface(), of.Interface()) {
			t.Errorf("%s.%s = %v, want %v", what, name, of.Interface(), lf.Interface())
		}
	}
}

func TestRecordsCarryEveryField(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	sale := store.Sale{
		OutTradeNo: "K1", TerminalID: "T1", StoreID: "S1", Subject: "Tea", AmountFen: 1000, Status: store.StatusPaid,
		TradeNo: "2026T", BuyerLogonID: "159******88", ReceiptNo: 7, CreatedAt: at, UpdatedAt: at.Add(time.Hour),
		PaidAt: at.Add(time.Minute), RefundedFen: 300, RefundIfPaid: true, Method: store.PayByCode,
		History: []store.Event{{At: at, Status: store.StatusPaid, Fact: store.FactRefundDone, ReceiptNo: 3,
			RefundDue: store.DueAfterCancel, OutRequestNo: "R1", Fen: 200, ApprovedBy: "Li", Reason: "spilt",
			RefundedFen: 300, AmountFen: 500, AfterFailed: true, Note: "{note:v1?code=closed}"}},
		Refunds: []store.Refund{{OutRequestNo: "K1_R1", Fen: 300, At: at, ApprovedBy: "Li", Reason: "cold", Status: store.RefundDone,
			FundChange: true, DoneAt: at.Add(time.Second), Note: "n"}},
	}
	sameFields(t, "Sale", sale, recordOf(sale))
	totals := store.Totals{Count: 1, Paid: 2, PaidFen: 3, Refunded: 4, RefundedFen: 5, NetFen: 6, Cancelled: 7, Unknown: 8,
		Pending: 9, Failed: 10, PartlyRefunded: 11}
	day := store.Day{Date: "2026-11-22", Sales: []store.Sale{sale}, Totals: totals}
	sameFields(t, "Day", day, dayOf(day))
	rep := store.Report{Date: "2026-11-22", Number: 3, Kind: store.ReportZ, Totals: totals, CreatedAt: at, Terminal: "T1",
		ByStatus: map[store.Status]store.StatusTotals{store.StatusPaid: {Count: 1, Fen: 1000}}, ZNumber: 3,
		EarlierRefunds: store.RefundTotals{Count: 1, Fen: 450},
		ByMethod:       map[store.PayMethod]store.MethodTotals{store.PayByCode: {Count: 1, Paid: 1, PaidFen: 1000, RefundedFen: 300}}}
	rep.ByHour[9] = store.HourTotals{Count: 1, PaidFen: 1000, RefundedFen: 300}
	got := reportOf(rep)
	sameFields(t, "Report", rep, got)
	if got.ByStatus[StatusPaid] != (StatusTotals{Count: 1, Fen: 1000}) {
		t.Errorf("report by status %+v", got.ByStatus)
	}
	if got.ByMethod[PayByCode] != (MethodTotals{Count: 1, Paid: 1, PaidFen: 1000, RefundedFen: 300}) {
		t.Errorf("report by method %+v", got.ByMethod)
	}
}

// TestRefundableIsTheLedgersRule: what the screen offers to refund is what
// the ledger would accept.
func TestRefundableIsTheLedgersRule(t *testing.T) {
	for _, s := range []store.Sale{
		{Status: store.StatusPaid, AmountFen: 1000},
		{Status: store.StatusPaid, AmountFen: 1000, RefundedFen: 300, Refunds: []store.Refund{
			{Fen: 300, Status: store.RefundDone}, {Fen: 200, Status: store.RefundFailed}, {Fen: 100, Status: store.RefundUnknown}}},
		{Status: store.StatusRefunded, AmountFen: 1000},
		{Status: store.StatusCancelled, AmountFen: 1000},
	} {
		if got, want := recordOf(s).Refundable(), s.Refundable(); got != want {
			t.Errorf("Refundable of %+v = %d, the ledger says %d", s, got, want)
		}
		if got, want := recordOf(s).Refunded(), s.Refunded(); got != want {
			t.Errorf("Refunded of %+v = %d, the ledger says %d", s, got, want)
		}
	}
}

// TestPayMethodsAreTheLedgers: pos names the ledger's ways to pay, in the
// ledger's order.
func TestPayMethodsAreTheLedgers(t *testing.T) {
	if len(PayMethods) != len(store.PayMethods) {
		t.Fatalf("pos has %v, the ledger %v", PayMethods, store.PayMethods)
	}
	for i, m := range store.PayMethods {
		if string(PayMethods[i]) != string(m) {
			t.Errorf("pos has %v, the ledger %v", PayMethods, store.PayMethods)
		}
	}
}
