package cli

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// inChinese makes the command line speak Chinese for the rest of the test.
func inChinese(t *testing.T) {
	t.Helper()
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
}

// TestCSVSpeaksTheLanguageJSONNever: in Chinese the CSV's header, its
// statuses and its methods are Chinese, for the accountant's spreadsheet,
// while its columns and other cells are English's to the byte; the JSON
// does not change at all.
func TestCSVSpeaksTheLanguageJSONNever(t *testing.T) {
	days := seedRefunds()
	approved := false // one refund approved by the kiosk's own name, which Chinese says as 店长
	for _, d := range days {
		for i := range d.Sales {
			if n := len(d.Sales[i].Refunds); n > 0 && !approved {
				d.Sales[i].Refunds[n-1].ApprovedBy, approved = pos.DefaultApprover, true
			}
		}
	}
	if !approved {
		t.Fatal("the seed has no refund")
	}
	export := func(format string) string {
		t.Helper()
		var buf bytes.Buffer
		if err := WriteRange(&buf, days, format, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	enCSV, enJSON := export("csv"), export("json")
	inChinese(t)
	zhCSV, zhJSON := export("csv"), export("json")

	if zhJSON != enJSON {
		t.Errorf("the JSON changed with the language:\n%s", zhJSON)
	}
	en, err := csv.NewReader(strings.NewReader(enCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	zh, err := csv.NewReader(strings.NewReader(zhCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"时间", "小票号", "商户订单号", "状态", "金额（元）", "支付宝交易号", "终端号", "商品", "已退款（元）", "授权人", "支付时间", "退款原因", "付款方式"}
	if strings.Join(zh[0], ",") != strings.Join(wantHeader, ",") {
		t.Errorf("Chinese header %q", zh[0])
	}
	if got := strings.Join(en[0], ","); got != "time,receipt_no,out_trade_no,status,amount,trade_no,terminal_id,subject,refunded_amount,approved_by,paid_at,refund_reason,method" {
		t.Errorf("English header changed: %s", got)
	}
	if len(zh) != len(en) {
		t.Fatalf("%d rows in Chinese, %d in English", len(zh), len(en))
	}
	const status, approver, method = 3, 9, 12
	methods := map[string]string{"qr": "扫码", "payment_code": "付款码"}
	for i := 1; i < len(en); i++ {
		want := words.Chinese.StatusName(pos.Status(en[i][status]))
		if zh[i][status] != want || want == en[i][status] {
			t.Errorf("row %d: status %q, want %q (English %q)", i, zh[i][status], want, en[i][status])
		}
		if m := methods[en[i][method]]; m == "" || zh[i][method] != m {
			t.Errorf("row %d: method %q in Chinese, %q in English", i, zh[i][method], en[i][method])
		}
		if want := words.Chinese.Approver(en[i][approver]); zh[i][approver] != want {
			t.Errorf("row %d: approver %q in Chinese, want %q (English %q)", i, zh[i][approver], want, en[i][approver])
		}
		if en[i][approver] == pos.DefaultApprover {
			approved = false // seen
		}
		for col := range en[i] {
			if col != status && col != method && col != approver && zh[i][col] != en[i][col] {
				t.Errorf("row %d column %s: %q in Chinese, %q in English", i, en[0][col], zh[i][col], en[i][col])
			}
		}
	}
	if approved {
		t.Errorf("no English row names the approver %q", pos.DefaultApprover)
	}
}

// TestChineseTablesAndReports: the day's table and the X/Z report in
// Chinese, their columns lined up by display width and the report's rule
// as wide as its title.
func TestChineseTablesAndReports(t *testing.T) {
	inChinese(t)
	var buf bytes.Buffer
	if err := WriteDay(&buf, seedDay(), "table"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "2024-05-17 的交易" {
		t.Errorf("title %q", lines[0])
	}
	header := lines[2]
	for _, l := range lines[3:6] { // the sales with a trade number
		if a, b := startOf(header, "支付宝交易号"), startOf(l, "T"); a != b || a < 0 {
			t.Errorf("支付宝交易号 at %d, a trade number at %d:\n%s", a, b, buf.String())
		}
	}
	if en := latin.Words(buf.String(), "Coffee"); len(en) > 0 {
		t.Errorf("English %q in the Chinese table:\n%s", en, buf.String())
	}
	for _, want := range []string{"已收款", "已取消", "待确认", "待支付", "失败", "交易 7 笔 · 收款 3 笔 ¥47.02"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, buf.String())
		}
	}

	buf.Reset()
	r := pos.Report{Date: "2024-05-17", Kind: pos.ReportZ, Number: 7, Terminal: "T1", Totals: seedDay().Totals,
		ByStatus: map[pos.Status]pos.StatusTotals{pos.StatusPaid: {Count: 2, Fen: 3702}}}
	if err := WriteReport(&buf, r, "table"); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(buf.String(), "\n")
	if lines[0] != "Z 报表（日结）第 0007 号" || lipgloss.Width(lines[1]) != lipgloss.Width(lines[0]) {
		t.Errorf("title and rule:\n%s\n%s", lines[0], lines[1])
	}
	if en := latin.Words(buf.String()); len(en) > 0 {
		t.Errorf("English %q in the Chinese Z report:\n%s", en, buf.String())
	}
	for _, want := range []string{"营业日", "日结时间", "汇总", "按状态", "净收款"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the Z report lacks %q:\n%s", want, buf.String())
		}
	}
}
