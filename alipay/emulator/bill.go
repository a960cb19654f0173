package emulator

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
)

// billDateLayout is bill_date's format for a daily bill.
const billDateLayout = "2006-01-02"

// billHeader names the columns of the emulator's trade bill.
var billHeader = []string{"trade_no", "out_trade_no", "subject", "created", "paid", "total_amount", "refund_amount", "status"}

// billBiz is the biz_content of alipay.data.dataservice.bill.downloadurl.query.
type billBiz struct {
	BillType string `json:"bill_type"`
	BillDate string `json:"bill_date"`
}

// billURL is alipay.data.dataservice.bill.downloadurl.query for the daily
// trade bill: it answers the address of /bill/<date>.csv on this emulator.
// Alipay's address is a signed, short-lived link to a zip of GBK CSV files;
// the emulator's is a plain UTF-8 CSV. Monthly bills and the signcustomer
// bill are not emulated, and a day that has not begun in Beijing is 40004
// isp.bill_not_exist (Alipay also refuses today's bill; the emulator serves
// it, so that a demonstration can reconcile at once).
func (e *Emulator) billURL(c *call) ([]field, *failure) {
	var biz billBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	switch biz.BillType {
	case "trade":
	case "":
		return nil, badParam("bill_type is required")
	default:
		return nil, badParam("bill_type %q: only trade is emulated", biz.BillType)
	}
	day, err := time.ParseInLocation(billDateLayout, biz.BillDate, alipay.Location())
	if err != nil {
		return nil, badParam("bill_date %q: want yyyy-MM-dd (monthly bills are not emulated)", biz.BillDate)
	}
	if day.After(e.now()) {
		return nil, businessFailed("isp.bill_not_exist", "账单不存在")
	}
	return []field{{"bill_download_url", c.baseURL + "/bill/" + biz.BillDate + ".csv"}}, nil
}

// serveBill is GET /bill/{yyyy-MM-dd}.csv: the trades created that day in
// Beijing time that Alipay knows of (scanned), oldest first.
func (e *Emulator) serveBill(w http.ResponseWriter, r *http.Request) {
	date, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	day, err := time.ParseInLocation(billDateLayout, date, alipay.Location())
	if !ok || err != nil {
		http.Error(w, "no such bill; want /bill/yyyy-MM-dd.csv", http.StatusNotFound)
		return
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write(billHeader) // a bytes.Buffer does not fail
	for _, t := range e.billTrades(day, day.AddDate(0, 0, 1)) {
		paid := ""
		if !t.PaidAt.IsZero() {
			paid = alipay.FormatTime(t.PaidAt)
		}
		_ = cw.Write([]string{t.TradeNo, t.OutTradeNo, t.Subject, alipay.FormatTime(t.CreatedAt), paid,
			alipay.FormatAmount(t.TotalFen), alipay.FormatAmount(t.RefundedFen()), t.Status})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="trade-`+date+`.csv"`)
	_, _ = w.Write(b.Bytes())
}

// billTrades returns the scanned trades created in [from, to), oldest first.
func (e *Emulator) billTrades(from, to time.Time) []Trade {
	e.mu.Lock()
	var out []Trade
	for _, t := range e.trades.byTradeNo {
		if !t.CreatedAt.Before(from) && t.CreatedAt.Before(to) {
			out = append(out, t.snapshot())
		}
	}
	e.mu.Unlock()
	slices.SortFunc(out, func(a, b Trade) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.OutTradeNo, b.OutTradeNo))
	})
	return out
}
