package alipay

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// Bill types of BillRequest.
const (
	BillTypeTrade        = "trade"        // the merchant's trades (what the kiosk reconciles)
	BillTypeSignCustomer = "signcustomer" // the account's fund movements
)

// BillRequest names a daily ("2026-11-22") or monthly ("2026-11") bill.
type BillRequest struct {
	BillType string // BillTypeTrade or BillTypeSignCustomer
	BillDate string // yyyy-MM-dd or yyyy-MM, Beijing calendar
}

// BillResponse holds where to fetch the bill. The URL is short-lived
// (about 30 seconds) and serves a zip of GBK-encoded CSV files.
type BillResponse struct {
	BillDownloadURL string `json:"bill_download_url"`
}

// billBiz is the biz_content of alipay.data.dataservice.bill.downloadurl.query.
type billBiz struct {
	BillType string `json:"bill_type"`
	BillDate string `json:"bill_date"`
}

// BillDownloadURL asks for the download address of a statement. A daily
// bill exists only from the next morning and a monthly one from early in
// the next month; before that Alipay answers with an error.
// https://opendocs.alipay.com/apis/api_15/alipay.data.dataservice.bill.downloadurl.query
func (c *Client) BillDownloadURL(ctx context.Context, r *BillRequest) (*BillResponse, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	var out BillResponse
	if err := c.do(ctx, MethodBillDownloadURL, &billBiz{BillType: r.BillType, BillDate: r.BillDate}, &out); err != nil {
		return nil, err
	}
	u, err := url.Parse(out.BillDownloadURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%w: %s: bill_download_url %q is not an http(s) URL",
			ErrUnexpectedResponse, MethodBillDownloadURL, out.BillDownloadURL)
	}
	return &out, nil
}

// check validates the type and the date locally: a malformed date would
// otherwise come back as a vague isv.invalid-parameter.
func (r *BillRequest) check() error {
	if r.BillType != BillTypeTrade && r.BillType != BillTypeSignCustomer {
		return invalid(MethodBillDownloadURL, "bill_type %q is neither %q nor %q", r.BillType, BillTypeTrade, BillTypeSignCustomer)
	}
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		// time.Parse demands two-digit months and days and real dates, so
		// "2026-1-2" and "2026-02-30" are refused.
		if len(r.BillDate) == len(layout) {
			if _, err := time.Parse(layout, r.BillDate); err == nil {
				return nil
			}
		}
	}
	return invalid(MethodBillDownloadURL, "bill_date %q is neither yyyy-MM-dd nor yyyy-MM", r.BillDate)
}
