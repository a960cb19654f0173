package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"kiosk/pos"
	"kiosk/ui/words"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func TestCentralReportTable(t *testing.T) {
	loc := shanghai
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, loc)
	// The reports head office makes of A paid 10.00 and B cancelled 5.00 at
	// T1, C paid 2.50 and D pending 0.99 at T2 (pos.Chain's Report).
	report := func(terminal string, t pos.Totals) pos.Report {
		return pos.Report{Date: "2026-12-01", Kind: pos.ReportX, Totals: t, Terminal: terminal, CreatedAt: at}
	}
	r1 := report("T1", pos.Totals{Count: 2, Paid: 1, PaidFen: 1000, NetFen: 1000, Cancelled: 1})
	r1.ZNumber = 7
	r2 := report("T2", pos.Totals{Count: 2, Paid: 1, PaidFen: 250, NetFen: 250, Pending: 1})
	both := report("", pos.Totals{Count: 4, Paid: 2, PaidFen: 1250, NetFen: 1250, Cancelled: 1, Pending: 1})
	rep := pos.ChainReport{
		Date: "2026-12-01",
		Terminals: []pos.TerminalReport{
			{StoreID: "S1", TerminalID: "T1", Report: r1, LastEventAt: at.UTC(), ClosedAt: at},
			{StoreID: "S1", TerminalID: "T2", Report: r2, LastEventAt: at.UTC()},
		},
		Stores: []pos.StoreReport{{StoreID: "S1", Terminals: 2, Report: both}},
		Chain:  both,
	}
	var out bytes.Buffer
	if err := writeCentralReport(&out, rep, "table"); err != nil {
		t.Fatal(err)
	}
	want := `Head office report 2026-12-01: 2 terminals in 1 store

STORE  TERMINAL     DAY     SALES  PAID  PAID AMOUNT  REFUNDED     NET  CANCELLED  UNSETTLED  LAST CHANGE
S1     T1           Z 0007      2     1       ¥10.00     ¥0.00  ¥10.00          1          0  2026-12-01 09:30:00
S1     T2           open        2     1        ¥2.50     ¥0.00   ¥2.50          0          1  2026-12-01 09:30:00
S1     2 terminals              4     2       ¥12.50     ¥0.00  ¥12.50          1          1
CHAIN  2 terminals              4     2       ¥12.50     ¥0.00  ¥12.50          1          1

Note: 1 sale still pending or unknown; its outcome may change these figures.
`
	if out.String() != want {
		t.Errorf("report table:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := writeCentralReport(&out, rep, "json"); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Terminals []struct {
			Day      string `json:"day"`
			ZNumber  int    `json:"z_number"`
			ClosedAt string `json:"closed_at"`
			Report   struct {
				Terminal string `json:"terminal"`
				Totals   struct {
					NetFen int64 `json:"net_fen"`
				} `json:"totals"`
			} `json:"report"`
		} `json:"terminals"`
	}
	if err := json.Unmarshal(out.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Terminals) != 2 || j.Terminals[0].Day != "closed" || j.Terminals[0].ZNumber != 7 ||
		j.Terminals[0].ClosedAt != "2026-12-01T09:30:00+08:00" || j.Terminals[1].Report.Totals.NetFen != 250 || j.Terminals[1].Report.Terminal != "T2" {
		t.Errorf("report JSON:\n%s", out.String())
	}
}

// TestCentralReportCountsRefundsAfterAClose: the refunds the tills made
// after an earlier close, which count in this day's reports, are in head
// office's table under the totals and in the JSON of every terminal,
// store and the chain.
func TestCentralReportCountsRefundsAfterAClose(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, shanghai)
	report := func(terminal string, after pos.RefundTotals) pos.Report {
		return pos.Report{Date: "2026-12-02", Kind: pos.ReportX, Terminal: terminal, CreatedAt: at,
			Totals: pos.Totals{Count: 1, Paid: 1, PaidFen: 700, NetFen: 700}, AfterClose: after}
	}
	both := report("", pos.RefundTotals{Count: 2, Fen: 2000})
	rep := pos.ChainReport{
		Date: "2026-12-02",
		Terminals: []pos.TerminalReport{
			{StoreID: "S1", TerminalID: "T1", Report: report("T1", pos.RefundTotals{Count: 1, Fen: 500})},
			{StoreID: "S1", TerminalID: "T2", Report: report("T2", pos.RefundTotals{Count: 1, Fen: 1500})},
		},
		Stores: []pos.StoreReport{{StoreID: "S1", Terminals: 2, Report: both}},
		Chain:  both,
	}
	var out bytes.Buffer
	if err := writeCentralReport(&out, rep, "table"); err != nil {
		t.Fatal(err)
	}
	if line := say.Report.AfterClose.F(2, words.Yuan(2000)); !strings.Contains(out.String(), "\n"+line+"\n") {
		t.Errorf("the table does not say %q:\n%s", line, out.String())
	}
	out.Reset()
	if err := writeCentralReport(&out, rep, "json"); err != nil {
		t.Fatal(err)
	}
	type after struct {
		AfterClose *struct {
			Count int   `json:"count"`
			Fen   int64 `json:"fen"`
		} `json:"after_close_refunds"`
	}
	var j struct {
		Terminals []struct{ Report after } `json:"terminals"`
		Stores    []struct{ Report after } `json:"stores"`
		Chain     after                    `json:"chain"`
	}
	if err := json.Unmarshal(out.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	got := func(a after) int64 {
		if a.AfterClose == nil {
			return -1
		}
		return a.AfterClose.Fen
	}
	if len(j.Terminals) != 2 || got(j.Terminals[0].Report) != 500 || got(j.Terminals[1].Report) != 1500 ||
		len(j.Stores) != 1 || got(j.Stores[0].Report) != 2000 || got(j.Chain) != 2000 {
		t.Errorf("after_close_refunds in the JSON:\n%s", out.String())
	}
}
