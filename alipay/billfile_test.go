package alipay

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestParseBill(t *testing.T) {
	got, err := ParseBill(strings.NewReader("status, out_trade_no ,total_amount\nTRADE_SUCCESS,K1,12.34\nTRADE_CLOSED,K2,0.5\n"))
	want := []BillTrade{{OutTradeNo: "K1", TotalFen: 1234, Status: "TRADE_SUCCESS"}, {OutTradeNo: "K2", TotalFen: 50, Status: "TRADE_CLOSED"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseBill = %+v, %v; want %+v", got, err, want)
	}
	for _, bad := range []string{"", "out_trade_no,total_amount\nK1,1.00\n", "a,\"b\nc"} {
		if _, err := ParseBill(strings.NewReader(bad)); !errors.Is(err, ErrBillNotCSV) {
			t.Errorf("ParseBill(%q) = %v, want ErrBillNotCSV", bad, err)
		}
	}
	if _, err := ParseBill(strings.NewReader("out_trade_no,total_amount,status\nK1,12.345,TRADE_SUCCESS\n")); !errors.Is(err, ErrBadAmount) {
		t.Errorf("a bad amount = %v, want ErrBadAmount", err)
	}
}

func TestDownloadBill(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/bill.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write([]byte("out_trade_no,total_amount,status\nK1,1.00,TRADE_SUCCESS\n"))
	})
	mux.HandleFunc("/bill.zip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.Write([]byte("PK"))
	})
	base := strings.TrimSuffix(c.cfg.Gateway, "/gateway.do")
	got, err := c.DownloadBill(context.Background(), base+"/bill.csv")
	if err != nil || len(got) != 1 || got[0] != (BillTrade{OutTradeNo: "K1", TotalFen: 100, Status: "TRADE_SUCCESS"}) {
		t.Errorf("DownloadBill = %+v, %v", got, err)
	}
	if _, err := c.DownloadBill(context.Background(), base+"/bill.zip"); !errors.Is(err, ErrBillNotCSV) {
		t.Errorf("a zip bill = %v, want ErrBillNotCSV", err)
	}
}
