package alipay

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// BillTrade is one trade of a day's bill.
type BillTrade struct {
	OutTradeNo string
	TotalFen   int64
	Status     string
}

// ErrBillNotCSV is wrapped when a bill is not a CSV file with the columns
// DownloadBill reads.
var ErrBillNotCSV = errors.New("not a CSV bill")

// maxBillBody bounds how much of a bill is read.
const maxBillBody = 32 << 20

// DownloadBill fetches the bill at url, as BillDownloadURL gave it, and
// reads its trades. It reads a CSV bill whose header row names
// out_trade_no, total_amount and status columns, as the emulator serves
// it; Alipay's own bill is a zip of GBK-encoded CSV files, which it does
// not read yet (ErrBillNotCSV).
func (c *Client) DownloadBill(ctx context.Context, url string) ([]BillTrade, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		return nil, fmt.Errorf("%w: %s %s", ErrBillNotCSV, resp.Status, resp.Header.Get("Content-Type"))
	}
	return ParseBill(io.LimitReader(resp.Body, maxBillBody))
}

// ParseBill reads a CSV bill with a header row naming out_trade_no,
// total_amount and status columns.
func ParseBill(r io.Reader) ([]BillTrade, error) {
	records, err := csv.NewReader(r).ReadAll()
	if err != nil || len(records) == 0 {
		return nil, fmt.Errorf("%w: %v", ErrBillNotCSV, err)
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[strings.TrimSpace(name)] = i
	}
	no, okNo := col["out_trade_no"]
	amount, okAmount := col["total_amount"]
	status, okStatus := col["status"]
	if !okNo || !okAmount || !okStatus {
		return nil, fmt.Errorf("%w: header %v", ErrBillNotCSV, records[0])
	}
	trades := make([]BillTrade, 0, len(records)-1)
	for _, rec := range records[1:] {
		fen, err := ParseAmount(rec[amount])
		if err != nil {
			return nil, fmt.Errorf("bill row %v: %w", rec, err)
		}
		trades = append(trades, BillTrade{OutTradeNo: rec[no], TotalFen: fen, Status: rec[status]})
	}
	return trades, nil
}
