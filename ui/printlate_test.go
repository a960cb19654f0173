package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/internal/printertest"
	"kiosk/pos"
	"kiosk/ui/words"
)

// recordingPrinter keeps every job it is sent, and answers err.
type recordingPrinter struct {
	jobs *[][]byte
	err  error
}

func (p recordingPrinter) Print(_ context.Context, job []byte) error {
	*p.jobs = append(*p.jobs, job)
	return p.err
}

// printedText is each job's lines of text, decoded, a job a string.
func printedText(jobs [][]byte) []string {
	var texts []string
	for _, j := range jobs {
		texts = append(texts, strings.Join(printertest.Lines(j), "\n"))
	}
	return texts
}

func paidOutcome(no int, outTradeNo string) pos.Outcome {
	r := printedReceipt
	r.ReceiptNo, r.OutTradeNo = no, outTradeNo
	return pos.Outcome{Status: pos.StatusPaid, Receipt: r, OutTradeNo: outTradeNo, AmountFen: r.AmountFen}
}

// TestSalesFoundPaidAtStartPrintTheirReceiptsMarkedLate: the sales the
// start found paid print their receipts, once each, in order, marked
// PRINTED LATE (补打), and the banner lists them; a sale found cancelled
// or refunded prints nothing.
func TestSalesFoundPaidAtStartPrintTheirReceiptsMarkedLate(t *testing.T) {
	for _, tc := range []struct {
		say        *words.Words
		mark, list string
	}{
		{words.English, "** PRINTED LATE **", "Recovered receipts: No. 0003"},
		{words.Chinese, "** 补打 **", "0003"},
	} {
		var jobs [][]byte
		f := newFakeCheckout()
		m := New(f, Options{ShopName: "Corner Shop", Location: shanghai, After: f.after, Words: tc.say, Printer: recordingPrinter{jobs: &jobs}})
		m2 := drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{outcomes: []pos.Outcome{
			paidOutcome(3, "KT1_A"), {Status: pos.StatusCancelled, OutTradeNo: "KT1_B"},
			{Status: pos.StatusRefunded, OutTradeNo: "KT1_C", LateRefund: true}, paidOutcome(4, "KT1_D")}})
		texts := printedText(jobs)
		if len(texts) != 2 {
			t.Fatalf("%s: %d jobs printed, want the two paid sales' receipts:\n%s", tc.say.Lang.Tag, len(texts), strings.Join(texts, "\n----\n"))
		}
		for i, want := range []string{"KT1_A", "KT1_D"} {
			if !strings.Contains(texts[i], want) || !strings.Contains(texts[i], tc.mark) || strings.Contains(texts[i], tc.say.Receipt.Duplicate) {
				t.Errorf("%s: job %d is not %s's receipt marked %q:\n%s", tc.say.Lang.Tag, i+1, want, tc.mark, texts[i])
			}
		}
		if !strings.Contains(flat(m2), tc.list) {
			t.Errorf("%s: the banner does not list the receipts:\n%s", tc.say.Lang.Tag, screen(m2))
		}
		m2 = drive(t, m2, typedKeys("5")...) // the next sale prints nothing of the last run's
		if len(jobs) != 2 {
			t.Errorf("%s: %d jobs after the next sale started, want the two late receipts alone", tc.say.Lang.Tag, len(jobs))
		}
	}
}

// TestSalesFoundPaidByTheRetryPrintTheirReceiptsMarkedLate: a sale left
// unknown that the background retry finds paid prints its receipt, marked
// PRINTED LATE, and the banner names it; one that does not print is named
// in the banner, to be reprinted from the ledger.
func TestSalesFoundPaidByTheRetryPrintTheirReceiptsMarkedLate(t *testing.T) {
	for _, err := range []error{nil, outOfPaper.err} {
		var jobs [][]byte
		f := newFakeCheckout()
		f.ReconcileFn = func() ([]pos.Outcome, int, error) { return []pos.Outcome{paidOutcome(5, "KT1_E")}, 0, nil }
		m := New(f, Options{Location: time.UTC, After: f.after, Printer: recordingPrinter{jobs: &jobs, err: err}})
		m2 := drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{outcomes: []pos.Outcome{{Status: pos.StatusUnknown}}})
		m2, _ = fire(t, f, m2)
		texts := printedText(jobs)
		if len(texts) != 1 || !strings.Contains(texts[0], "KT1_E") || !strings.Contains(texts[0], "** PRINTED LATE **") {
			t.Fatalf("printer error %v: the retry printed %d jobs, want KT1_E's receipt marked late:\n%s", err, len(texts), strings.Join(texts, "\n----\n"))
		}
		want := "Recovered receipts: No. 0005"
		if err != nil {
			want = "Receipt No. 0005 was not printed (the printer is out of paper): reprint it from the ledger"
		}
		if !strings.Contains(flat(m2), want) {
			t.Errorf("printer error %v: the banner does not say %q:\n%s", err, want, screen(m2))
		}
	}
}
