package alipay

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// checkBillOutcome holds for every answer of the bill parser: an error is
// a *BillError wrapping ErrBadBill and a problem, and a bill read has
// rows that say which trade, what kind, when, in line order.
func checkBillOutcome(t *testing.T, bill *TradeBill, err error) {
	t.Helper()
	if err != nil {
		var be *BillError
		if bill != nil || !errors.As(err, &be) || !errors.Is(err, ErrBadBill) || be.Problem == nil || err.Error() == "" {
			t.Fatalf("error %v (%T) with bill %v", err, err, bill != nil)
		}
		return
	}
	last := 0
	for _, e := range bill.Entries {
		if (e.Kind != BillTrade && e.Kind != BillRefund) || e.TradeNo == "" || e.FinishedAt.IsZero() || e.Line <= last {
			t.Fatalf("entry %+v after line %d", e, last)
		}
		last = e.Line
	}
}

// Fuzz seeds are kept short: the fuzzer spends most of its time
// minimizing what it finds, which grows with the square of the length.
var (
	fuzzDetail = []string{
		"#账号：[2088]",
		"支付宝交易号,商户订单号,业务类型,完成时间,订单金额（元）,商家实收（元）,退款批次号/请求号",
		"1\t,A\t,交易\t,2026-11-22 00:00:20,5.00,5.00,\t",
		`1,"A",退款,2026-11-22 00:00:21,-1.00,-1.00,R1`,
		"#列表结束",
		"#交易合计：1笔，商家实收共5.00元",
		"#退款合计：1笔，商家实收退款共-1.00元",
	}
	fuzzSummary = []string{
		"门店编号,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）",
		"合计,1,1,4.00,4.00",
		"#列表结束",
	}
)

// FuzzParseTradeBill feeds arbitrary bytes as a downloaded zip: bill
// downloads come from the network.
func FuzzParseTradeBill(f *testing.F) {
	f.Add(billZip(f, billZipFile{name: "a_业务明细.csv", body: csvFile(f, fuzzDetail, "\n")},
		billZipFile{name: "a_业务明细(汇总).csv", body: csvFile(f, fuzzSummary, "\n")}))
	f.Add(billZip(f, billZipFile{name: "a_业务明细.csv", body: nil}, billZipFile{name: "b_业务明细.csv", utf8: true}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		bill, err := ParseTradeBill(data)
		checkBillOutcome(t, bill, err)
	})
}

// FuzzParseTradeBillCSV feeds arbitrary bytes as the detail and the
// summary file, which a zip's checksums keep FuzzParseTradeBill's
// mutations from reaching.
func FuzzParseTradeBillCSV(f *testing.F) {
	f.Add(csvFile(f, fuzzDetail, "\r\n"), csvFile(f, fuzzSummary, "\r\n"))
	f.Add([]byte(`a,"b""c",d`+"\n#列表结束\n#交易合计：1笔"), []byte("合计,1\n"))
	f.Add([]byte{0x81, 0x30, 0x81}, []byte{0xff})
	f.Fuzz(func(t *testing.T, detail, summary []byte) {
		bill := &TradeBill{}
		err := parseDetail("d.csv", bytes.NewReader(detail), bill)
		if err != nil {
			bill = nil
			err = checkWrapped(err)
		}
		checkBillOutcome(t, bill, err)
		var s BillSummary
		if err := parseSummary("s.csv", bytes.NewReader(summary), &s); err != nil {
			checkBillOutcome(t, nil, checkWrapped(err))
		} else if s.Total.Line == 0 {
			t.Fatal("a summary read without its total row")
		}
	})
}

// checkWrapped returns err, which the file parsers must already have made
// a *BillError (ParseTradeBill only adds the zip's own failures).
func checkWrapped(err error) error {
	var be *BillError
	if !errors.As(err, &be) {
		return errors.New("not a *BillError: " + err.Error())
	}
	return err
}
