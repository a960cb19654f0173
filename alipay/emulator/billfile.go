package emulator

import (
	"archive/zip"
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"kiosk/alipay"
)

// The dashed lines around the lists, as Alipay draws them.
const (
	billDetailStart  = "#-----------------------------------------业务明细列表----------------------------------------"
	billDetailEnd    = "#-----------------------------------------业务明细列表结束------------------------------------"
	billSummaryStart = "#-----------------------------------------业务汇总列表----------------------------------------"
	billSummaryEnd   = "#----------------------------------------业务汇总列表结束-------------------------------------"
)

// billLineEnd ends every line of the emulator's bill files.
const billLineEnd = "\r\n"

// billRow is one row of the detail file: a payment, or one refund of it.
type billRow struct {
	refund       bool
	at           time.Time // 完成时间: paid, or refunded
	fen          int64     // positive for a payment, negative for a refund
	outRequestNo string
	trade        Trade
	storeID      string
	terminalID   string
}

// billRows are the rows of the trade bill of p: a payment in the period
// it was paid in, each refund in the period it was made in, whatever day
// the trade was created. Trades not paid do not appear. Oldest first.
func (e *Emulator) billRows(p billPeriod) []billRow {
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(p.from) && t.Before(p.to) }
	var rows []billRow
	e.mu.Lock()
	for _, t := range e.trades.byTradeNo {
		snap := t.snapshot()
		row := billRow{trade: snap, storeID: t.storeID, terminalID: t.terminalID}
		if in(snap.PaidAt) {
			row.at, row.fen = snap.PaidAt, snap.TotalFen
			rows = append(rows, row)
		}
		for _, r := range snap.Refunds {
			if in(r.At) {
				row.refund, row.at, row.fen, row.outRequestNo = true, r.At, -r.Fen, r.OutRequestNo
				rows = append(rows, row)
			}
		}
	}
	e.mu.Unlock()
	slices.SortFunc(rows, func(a, b billRow) int {
		return cmp.Or(a.at.Compare(b.at), strings.Compare(a.trade.OutTradeNo, b.trade.OutTradeNo),
			cmpBool(a.refund, b.refund), strings.Compare(a.outRequestNo, b.outRequestNo))
	})
	return rows
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// tradeBillZip is the trade bill of p exported at now, as Alipay's zip:
// <account>_<date>_业务明细.csv and <account>_<date>_业务明细(汇总).csv,
// GBK text with GBK names and no UTF-8 flag.
func (e *Emulator) tradeBillZip(p billPeriod, now time.Time) []byte {
	rows := e.billRows(p)
	prefix := e.billAccount() + "_" + p.compact + "_"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct {
		name  string
		lines []string
	}{
		{prefix + "业务明细.csv", e.billDetailLines(p, rows, now)},
		{prefix + "业务明细(汇总).csv", e.billSummaryLines(p, rows, now)},
	} {
		h := &zip.FileHeader{Name: string(gbkBytes(f.name)), NonUTF8: true, Method: zip.Deflate, Modified: now.In(alipay.Location())}
		w, _ := zw.CreateHeader(h) // writing to a bytes.Buffer does not fail
		_, _ = w.Write(gbkBytes(strings.Join(f.lines, billLineEnd) + billLineEnd))
	}
	_ = zw.Close()
	return buf.Bytes()
}

// billHeading is the '#' lines before a list.
func (e *Emulator) billHeading(title, start string, p billPeriod) []string {
	return []string{
		title,
		"#账号：[" + e.billAccount() + "]",
		"#起始日期：[" + billHeadTime(p.from) + "]   终止日期：[" + billHeadTime(p.to) + "]",
		start,
	}
}

// billHeadTime writes a time as the '#' lines do: 2026年11月22日 00:00:00.
func billHeadTime(t time.Time) string {
	return t.In(alipay.Location()).Format("2006年01月02日 15:04:05")
}

// billDetailLines is the detail file: heading, columns, a row per payment
// and per refund, the end line and the totals.
func (e *Emulator) billDetailLines(p billPeriod, rows []billRow, now time.Time) []string {
	lines := e.billHeading("#支付宝业务明细查询", billDetailStart, p)
	lines = append(lines, strings.Join(alipay.TradeBillColumns(), ","))
	var trades, refunds int
	var received, refunded int64
	for _, r := range rows {
		lines = append(lines, billDetailRow(r))
		if r.refund {
			refunds++
			refunded += r.fen
		} else {
			trades++
			received += r.fen
		}
	}
	return append(lines, billDetailEnd,
		"#交易合计："+strconv.Itoa(trades)+"笔，商家实收共"+alipay.FormatAmount(received)+"元，商家优惠共0.00元",
		"#退款合计："+strconv.Itoa(refunds)+"笔，商家实收退款共"+alipay.FormatAmount(refunded)+"元，商家优惠退款共0.00元",
		"#导出时间：["+billHeadTime(now)+"]")
}

// billDetailRow writes a row with the tabs Alipay pads some values with.
// There are no discounts, vouchers or service fees in the emulator, and
// no store names or operators; 对方账户 is the masked buyer.
func billDetailRow(r billRow) string {
	kind := "交易"
	if r.refund {
		kind = "退款"
	}
	amount := alipay.FormatAmount(r.fen)
	tab := func(s string) string { return billValue(s) + "\t" }
	return strings.Join([]string{
		tab(r.trade.TradeNo), tab(r.trade.OutTradeNo), tab(kind), billValue(r.trade.Subject),
		alipay.FormatTime(r.trade.CreatedAt), alipay.FormatTime(r.at),
		tab(r.storeID), tab(""), tab(""), tab(r.terminalID), tab(r.trade.BuyerLogonID),
		amount, amount, "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00\t", "0.00",
		tab(r.outRequestNo), "0.00", "0.00", "",
	}, ",")
}

// billStore is a store's line in the summary.
type billStore struct {
	id               string
	trades, refunds  int
	totalFen, netFen int64
}

// billSummaryLines is the summary file: a row per store that has rows,
// by store id, then 合计. The amounts are the sums of the detail rows,
// refunds (negative) included; with no discounts or fees the merchant
// receives the order amount and the net is the same.
func (e *Emulator) billSummaryLines(p billPeriod, rows []billRow, now time.Time) []string {
	lines := e.billHeading("#支付宝业务汇总查询", billSummaryStart, p)
	lines = append(lines, strings.Join(alipay.TradeBillSummaryColumns(), ","))
	byStore := map[string]*billStore{}
	var total billStore
	for _, r := range rows {
		s := byStore[r.storeID]
		if s == nil {
			s = &billStore{id: r.storeID}
			byStore[r.storeID] = s
		}
		for _, s := range []*billStore{s, &total} {
			if r.refund {
				s.refunds++
			} else {
				s.trades++
			}
			s.totalFen += r.fen
			s.netFen += r.fen
		}
	}
	stores := make([]*billStore, 0, len(byStore))
	for _, s := range byStore {
		stores = append(stores, s)
	}
	slices.SortFunc(stores, func(a, b *billStore) int { return strings.Compare(a.id, b.id) })
	for _, s := range stores {
		lines = append(lines, billSummaryRow(billValue(s.id), s))
	}
	total.id = "合计"
	return append(lines, billSummaryRow(total.id, &total), billSummaryEnd, "#导出时间：["+billHeadTime(now)+"]")
}

func billSummaryRow(id string, s *billStore) string {
	return strings.Join([]string{
		id + "\t", "\t", strconv.Itoa(s.trades), strconv.Itoa(s.refunds),
		alipay.FormatAmount(s.totalFen), alipay.FormatAmount(s.totalFen), "0.00", "0.00", "0.00", "0.00", "0.00",
		alipay.FormatAmount(s.netFen),
	}, ",")
}

// billValue makes text safe for a row: line breaks become spaces, and a
// value holding a comma or a quote is quoted, its quotes doubled. (How
// Alipay writes such a subject is not documented; this is plain CSV.)
func billValue(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	if strings.ContainsAny(s, `,"`) {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// gbkBytes encodes text in GBK. A character GBK does not have (an emoji in
// a subject) becomes '?': the bill is GBK throughout.
func gbkBytes(s string) []byte {
	enc := simplifiedchinese.GBK.NewEncoder()
	if b, err := enc.Bytes([]byte(s)); err == nil {
		return b
	}
	var out []byte
	for _, r := range s {
		b, err := enc.Bytes(utf8.AppendRune(nil, r))
		if err != nil {
			b = []byte{'?'}
		}
		out = append(out, b...)
	}
	return out
}
