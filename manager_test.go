package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/pos"
	"kiosk/store"
)

// TestManagersDay is the manager's day from the issue: sell three times,
// refund one in part, reconcile with Alipay, export the day as CSV and read
// it back as a spreadsheet would.
func TestManagersDay(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{PollInterval: duration{200 * time.Millisecond}}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := context.Background()
	var sales []pos.Sale
	day := c.register.Today() // the commands below name it: midnight may pass before they run
	for _, fen := range []int64{1234, 500, 2000} {
		sale, err := c.register.Start(ctx, fen, "Tea 茶")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.server.Pay(sale.OutTradeNo); err != nil {
			t.Fatal(err)
		}
		if res, err := c.register.Poll(ctx, sale); err != nil || res.Progress != pos.Paid {
			t.Fatalf("sale %d: %+v, %v", fen, res, err)
		}
		sales = append(sales, sale)
	}
	if c.register.Today() != day {
		t.Skip("the sales straddled midnight in the shop's zone")
	}
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	refunded, err := c.register.Refund(ctx, pos.RefundOrder{OutTradeNo: sales[2].OutTradeNo, Fen: 750, PIN: "246813", ApprovedBy: "Wang"})
	if err != nil || refunded.RefundedFen != 750 {
		t.Fatalf("partial refund: %+v, %v", refunded, err)
	}
	if tr, _ := c.server.Trade(sales[2].OutTradeNo); tr.RefundedFen() != 750 {
		t.Errorf("Alipay's side refunded %d fen", tr.RefundedFen())
	}

	var report bytes.Buffer
	if err := runCommand(&report, "ledger", "reconcile", "--data", dir, "--date", day); err != nil {
		t.Errorf("reconcile: %v\n%s", err, report.String())
	}
	if !strings.Contains(report.String(), "3 sales, 0 differences") {
		t.Errorf("reconcile report:\n%s", report.String())
	}

	var out bytes.Buffer
	if err := runCommand(&out, "ledger", "--data", dir, "--date", day, "--format", "csv", "--bom"); err != nil {
		t.Fatal(err)
	}
	body, hadBOM := bytes.CutPrefix(out.Bytes(), []byte("\xef\xbb\xbf"))
	if !hadBOM {
		t.Error("the CSV lacks the UTF-8 byte order mark spreadsheets need")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("CSV: %d rows, %v\n%s", len(rows), err, body)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	want := [][3]string{{"12.34", "0.00", "paid"}, {"5.00", "0.00", "paid"}, {"20.00", "7.50", "paid"}}
	for i, w := range want {
		r := rows[i+1]
		if r[col["amount"]] != w[0] || r[col["refunded_amount"]] != w[1] || r[col["status"]] != w[2] || r[col["subject"]] != "Tea 茶" {
			t.Errorf("row %d = %v, want amount %s refunded %s status %s", i+1, r, w[0], w[1], w[2])
		}
	}
	if rows[3][col["approved_by"]] != "Wang" {
		t.Errorf("the refund's approver is not in the export: %v", rows[3])
	}
}

// TestManagerSetPIN: kiosk manager set-pin sets the first PIN (twice) and
// changes it (the current one first) while the kiosk runs on the ledger;
// a trivial PIN, two that differ and a wrong current one are refused and
// change nothing; the running counter takes the new PIN at once.
func TestManagerSetPIN(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	pin := func(input string) (string, error) {
		return runWithInput(t, input, "manager", "set-pin", "--data", dir)
	}
	for _, weak := range []string{"2468\n2468\n", "123456\n123456\n", "777777\n777777\n", "987654\n987654\n"} {
		if out, err := pin(weak); err == nil {
			t.Errorf("set-pin took %q:\n%s", weak, out)
		}
	}
	if _, err := pin("123456\n"); err == nil || !strings.Contains(err.Error(), "too easy to guess") {
		t.Errorf("a trivial PIN: %v; want it refused in plain words", err)
	}
	if _, err := pin("246813\n135790\n"); err == nil {
		t.Error("two different PINs were accepted")
	}
	if set, _ := c.ledger.HasManagerPIN(); set {
		t.Fatal("a refused PIN was stored")
	}
	if out, err := pin("246813\n246813\n"); err != nil || !strings.Contains(out, "Manager PIN set.") {
		t.Fatalf("the first PIN, beside the running kiosk: %v\n%s", err, out)
	}
	if err := c.ledger.CheckManagerPIN("246813", time.Now()); err != nil {
		t.Errorf("the running counter does not take the PIN set: %v", err)
	}
	if _, err := pin("135790\n580246\n580246\n"); err == nil || !strings.Contains(err.Error(), "Wrong manager PIN") {
		t.Errorf("a change with a wrong current PIN: %v", err)
	}
	if out, err := pin("246813\n580246\n580246\n"); err != nil || !strings.Contains(out, "Manager PIN changed.") {
		t.Fatalf("change: %v\n%s", err, out)
	}
	if err := c.ledger.CheckManagerPIN("580246", time.Now()); err != nil {
		t.Errorf("the counter does not take the new PIN: %v", err)
	}
	if err := c.ledger.CheckManagerPIN("246813", time.Now()); !errors.Is(err, store.ErrWrongPIN) {
		t.Errorf("the old PIN still works: %v", err)
	}
}

// TestManagerSetPINReset: a manager who forgot the PIN, and locked it with
// wrong tries, gets back in at the machine's command line: kiosk manager
// set-pin --reset takes a new PIN twice, without the current one, beside
// the running kiosk; the lock is lifted and the counter takes the new PIN.
// A weak new PIN is refused and changes nothing.
func TestManagerSetPINReset(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		c.ledger.CheckManagerPIN("975310", time.Now())
	}
	if err := c.ledger.CheckManagerPIN("246813", time.Now()); !errors.Is(err, store.ErrPINLocked) {
		t.Fatalf("after five wrong PINs: %v, want the PIN locked", err)
	}
	reset := func(input string) (string, error) {
		return runWithInput(t, input, "manager", "set-pin", "--reset", "--data", dir)
	}
	if _, err := reset("123456\n123456\n"); err == nil || !strings.Contains(err.Error(), "too easy to guess") {
		t.Errorf("a trivial new PIN: %v; want it refused", err)
	}
	if out, err := reset("580246\n580246\n"); err != nil || !strings.Contains(out, "Manager PIN replaced.") {
		t.Fatalf("--reset: %v\n%s", err, out)
	}
	if err := c.ledger.CheckManagerPIN("580246", time.Now()); err != nil {
		t.Errorf("the counter does not take the PIN set with --reset: %v", err)
	}
	if err := c.ledger.CheckManagerPIN("246813", time.Now()); !errors.Is(err, store.ErrWrongPIN) {
		t.Errorf("the forgotten PIN still works: %v", err)
	}
}

// TestLedgerJSONShape pins the fields scripts read: one day is an object
// with date, sales and totals; a range wraps days.
func TestLedgerJSONShape(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	sale, err := c.register.Start(context.Background(), 1234, "")
	if err != nil {
		t.Fatal(err)
	}
	date := c.register.Today() // named: the command may run after the shop's midnight
	c.close()
	var out bytes.Buffer
	if err := runCommand(&out, "ledger", "--data", dir, "--date", date, "--format", "json"); err != nil {
		t.Fatal(err)
	}
	var day struct {
		Date  string `json:"date"`
		Sales []struct {
			OutTradeNo string  `json:"out_trade_no"`
			ReceiptNo  *int    `json:"receipt_no"`
			Status     string  `json:"status"`
			Amount     string  `json:"amount"`
			AmountFen  int64   `json:"amount_fen"`
			TradeNo    *string `json:"trade_no"`
			CreatedAt  string  `json:"created_at"`
		} `json:"sales"`
		Totals map[string]any `json:"totals"`
	}
	if err := json.Unmarshal(out.Bytes(), &day); err != nil {
		t.Fatal(err)
	}
	s := day.Sales
	if day.Date == "" || len(s) != 1 || s[0].OutTradeNo != sale.OutTradeNo || s[0].Amount != "12.34" || s[0].AmountFen != 1234 ||
		s[0].ReceiptNo == nil || s[0].TradeNo == nil || s[0].Status != "pending" || day.Totals == nil {
		t.Errorf("kiosk ledger --format json:\n%s", out.String())
	}
	if _, err := time.Parse(time.RFC3339, s[0].CreatedAt); err != nil {
		t.Errorf("created_at %q is not RFC 3339", s[0].CreatedAt)
	}
}

// sellAndPay sells fen at the counter, has the emulated customer pay, and
// returns the sale and its day in the ledger (the day it was paid, even
// if midnight passes during the test).
func sellAndPay(t *testing.T, c *counter, fen int64, subject string) (pos.Sale, string) {
	t.Helper()
	ctx := context.Background()
	sale, err := c.register.Start(ctx, fen, subject)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.server.Pay(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	if res, err := c.register.Poll(ctx, sale); err != nil || res.Progress != pos.Paid {
		t.Fatalf("sale of %d fen: %+v, %v", fen, res, err)
	}
	paid, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil {
		t.Fatal(err)
	}
	return sale, c.ledger.DateOf(paid.PaidAt)
}

// runWithInput runs `kiosk args...` with input on its standard input (a
// pipe, as a script gives it).
func runWithInput(t *testing.T, input string, args ...string) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(input)
	w.Close()
	defer r.Close()
	var out bytes.Buffer
	err = execute(args, stdio{in: r, out: &out, diag: io.Discard})
	return out.String(), err
}

// refundedOutside runs a kiosk on dir with a ¥6.66 sale paid and then
// refunded ¥1.00 at Alipay behind its back (kiosk api refund, refund
// number desk-1), and the manager PIN pin ("" for none). The kiosk runs
// until the test ends.
func refundedOutside(t *testing.T, dir, pin string) (*counter, pos.Sale, string) {
	t.Helper()
	c, err := openCounter(mustPlan(t, fileConfig{PollInterval: duration{200 * time.Millisecond}}), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.close)
	sale, date := sellAndPay(t, c, 666, "")
	if pin != "" {
		if err := c.ledger.SetManagerPIN(pin); err != nil {
			t.Fatal(err)
		}
	}
	client, err := emulatorClient(c.server, c.emulatorKeys, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Refund(t.Context(), &alipay.RefundRequest{OutTradeNo: sale.OutTradeNo, RefundFen: 100, OutRequestNo: "desk-1"}); err != nil {
		t.Fatal(err)
	}
	return c, sale, date
}

// TestReconcileApplyWithoutAPINOrInput: with no manager PIN set, --apply
// says so and how to set one; with standard input empty (/dev/null), it
// says how to give the PIN. Nothing is recorded either way.
func TestReconcileApplyWithoutAPINOrInput(t *testing.T) {
	dir := t.TempDir()
	c, sale, date := refundedOutside(t, dir, "")
	got, err := runWithInput(t, "246813\n", "ledger", "reconcile", "--apply", "--data", dir, "--date", date)
	if err == nil || !strings.Contains(err.Error(), "No manager PIN is set") || !strings.Contains(err.Error(), "kiosk manager set-pin") {
		t.Errorf("--apply with no PIN set: %v\n%s", err, got)
	}
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	got, err = runWithInput(t, "", "ledger", "reconcile", "--apply", "--data", dir, "--date", date)
	if err == nil || !strings.Contains(err.Error(), "Nothing was recorded: the manager PIN was not given. Run the command in a terminal") {
		t.Errorf("--apply < /dev/null: %v\n%s", err, got)
	}
	if s, _ := c.ledger.Get(sale.OutTradeNo); len(s.Refunds) != 0 {
		t.Errorf("recorded %+v", s.Refunds)
	}
}

// TestReconcileRecordsARefundMadeOutsideTheKiosk is the case: a
// ¥6.66 sale refunded ¥1.00 with kiosk api refund, behind the kiosk's
// back. Reconcile lists it from Alipay's bill with what to do; --apply,
// with the manager PIN and while the kiosk runs, records it once, and the
// day's net is Alipay's.
func TestReconcileRecordsARefundMadeOutsideTheKiosk(t *testing.T) {
	dir := t.TempDir()
	c, sale, date := refundedOutside(t, dir, "246813")
	var out bytes.Buffer
	err := runCommand(&out, "ledger", "reconcile", "--data", dir, "--date", date)
	for _, want := range []string{"1 sale, 1 difference", "Refunds: from Alipay's bill (1 refund).", "Alipay refunded 1.00 (refund number desk-1)",
		"What to do:", sale.OutTradeNo + ": record it in the ledger: kiosk ledger reconcile --apply"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("reconcile does not say %q:\n%s", want, out.String())
		}
	}
	if err == nil {
		t.Error("reconcile succeeded with a difference")
	}

	if got, err := runWithInput(t, "135790\n", "ledger", "reconcile", "--apply", "--data", dir, "--date", date); err == nil {
		t.Errorf("--apply took a wrong PIN:\n%s", got)
	}
	if s, _ := c.ledger.Get(sale.OutTradeNo); len(s.Refunds) != 0 {
		t.Fatalf("a wrong PIN recorded %+v", s.Refunds)
	}
	got, err := runWithInput(t, "246813\n", "ledger", "reconcile", "--apply", "--data", dir, "--date", date)
	if err != nil || !strings.Contains(got, "Recorded 1 refund made outside the kiosk; the day's net is now ¥5.66.") ||
		!strings.Contains(got, "1 sale, 0 differences") {
		t.Errorf("--apply: %v\n%s", err, got)
	}
	again, err := runWithInput(t, "246813\n", "ledger", "reconcile", "--apply", "--data", dir, "--date", date)
	if err != nil || !strings.Contains(again, "Nothing to record") {
		t.Errorf("--apply again: %v\n%s", err, again)
	}
	s, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil || len(s.Refunds) != 1 || s.RefundedFen != 100 || s.Refunds[0].OutRequestNo != "desk-1" || s.Status != store.StatusPaid {
		t.Errorf("the ledger's sale after applying twice: %+v, %v", s, err)
	}
	day, err := c.register.Day(date)
	if err != nil || day.Totals.NetFen != 566 {
		t.Errorf("the day's net is %d, want Alipay's 566 (%v)", day.Totals.NetFen, err)
	}
}

// TestReconcileRecordsACancelAfterPayment: a paid sale cancelled at Alipay
// outside the kiosk (the whole payment goes back; the bill's 退款 row has
// no refund number) is listed, and --apply makes it refunded, once.
func TestReconcileRecordsACancelAfterPayment(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{PollInterval: duration{200 * time.Millisecond}}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	sale, date := sellAndPay(t, c, 888, "")
	if err := c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	client, err := emulatorClient(c.server, c.emulatorKeys, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Cancel(context.Background(), &alipay.CancelRequest{OutTradeNo: sale.OutTradeNo}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = runCommand(&out, "ledger", "reconcile", "--data", dir, "--date", date)
	if err == nil || !strings.Contains(out.String(), "Alipay gave the payment back in full (8.88)") ||
		!strings.Contains(out.String(), "record it in the ledger") {
		t.Errorf("reconcile: %v\n%s", err, out.String())
	}
	for range 2 {
		if got, err := runWithInput(t, "246813\n", "ledger", "reconcile", "--apply", "--data", dir, "--date", date); err != nil {
			t.Fatalf("--apply: %v\n%s", err, got)
		}
	}
	s, err := c.ledger.Get(sale.OutTradeNo)
	if err != nil || s.Status != store.StatusRefunded || len(s.Refunds) != 0 {
		t.Errorf("after --apply twice: %+v, %v", s, err)
	}
	if day, err := c.register.Day(date); err != nil || day.Totals.NetFen != 0 {
		t.Errorf("the day's net is %d, want 0 (%v)", day.Totals.NetFen, err)
	}
}
