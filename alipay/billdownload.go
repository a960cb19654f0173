package alipay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ErrBillDownload is wrapped by every error DownloadBill returns; the
// *BillDownloadError says what happened.
var ErrBillDownload = errors.New("alipay: bill download failed")

// Limits of a bill download. Alipay's link works for about 30 seconds
// after downloadurl.query answers, and a day's zip for a counter is a few
// kilobytes. Variables for the tests.
var (
	maxBillDownloadBytes int64 = 64 << 20
	billDownloadTimeout        = 2 * time.Minute // when the caller's context sets no deadline
)

const maxBillRedirects = 5

// BillDownloadError is a bill_download_url that gave no zip.
type BillDownloadError struct {
	Host   string // the host asked; the URL's query, a short-lived token, is left out
	Status int    // the HTTP status, 0 when no answer came
	Detail string // what was wrong
	Err    error  // the underlying error, or nil
}

// Error reads like "alipay: bill download from dwbillcenter.alipay.com:
// HTTP 410: the answer is not a zip: "下载超时，请重新下载"".
func (e *BillDownloadError) Error() string {
	s := "alipay: bill download from " + e.Host
	if e.Status != 0 {
		s += ": HTTP " + strconv.Itoa(e.Status)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap lets errors.Is find ErrBillDownload and the cause (a context
// deadline, say).
func (e *BillDownloadError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrBillDownload}
	}
	return []error{ErrBillDownload, e.Err}
}

// DownloadBill fetches the zip a bill_download_url points at. It sends a
// plain GET through the client's transport, gives up after two minutes
// unless ctx says otherwise, follows at most five redirects and only to
// http(s) (never from https down to http), reads at most 64 MiB and
// insists on a 200 answer that is a zip. Alipay
// answers a link used too late with a short page instead ("下载超时，请重新
// 下载"): ask BillDownloadURL for a new one. Errors are *BillDownloadError.
func (c *Client) DownloadBill(ctx context.Context, billURL string) ([]byte, error) {
	u, err := url.Parse(billURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, &BillDownloadError{Host: "?", Detail: fmt.Sprintf("%q is not an http(s) URL", billURL)}
	}
	fail := func(status int, err error, format string, args ...any) error {
		return &BillDownloadError{Host: u.Host, Status: status, Detail: fmt.Sprintf(format, args...), Err: err}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, billDownloadTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fail(0, err, "")
	}
	hc := &http.Client{Transport: c.http.Transport, CheckRedirect: checkBillRedirect}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fail(0, err, "")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBillDownloadBytes+1))
	switch {
	case err != nil:
		return nil, fail(resp.StatusCode, err, "the answer was cut off")
	case resp.StatusCode != http.StatusOK:
		return nil, fail(resp.StatusCode, nil, "%s", describeStart(body))
	case int64(len(body)) > maxBillDownloadBytes:
		return nil, fail(resp.StatusCode, nil, "more than %d bytes", maxBillDownloadBytes)
	case !bytes.HasPrefix(body, []byte("PK")):
		return nil, fail(resp.StatusCode, nil, "the answer is not a zip: %s", describeStart(body))
	}
	return body, nil
}

// checkBillRedirect lets a download follow a few redirects, to http(s)
// only and never from https to http.
func checkBillRedirect(req *http.Request, via []*http.Request) error {
	switch {
	case len(via) >= maxBillRedirects:
		return fmt.Errorf("more than %d redirects", maxBillRedirects)
	case req.URL.Scheme != "https" && req.URL.Scheme != "http":
		return fmt.Errorf("redirect to a %s: URL refused", req.URL.Scheme)
	case via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https":
		return fmt.Errorf("redirect from https to %s://%s refused", req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// TradeBill fetches and reads the trade bill of date, a Beijing day
// ("2026-11-22") or month ("2026-11"): BillDownloadURL, DownloadBill at
// once (the link is short-lived), ParseTradeBill. A bill whose
// #起始日期 is not the start of date is refused with ErrBillMismatch.
func (c *Client) TradeBill(ctx context.Context, date string) (*TradeBill, error) {
	resp, err := c.BillDownloadURL(ctx, &BillRequest{BillType: BillTypeTrade, BillDate: date})
	if err != nil {
		return nil, err
	}
	data, err := c.DownloadBill(ctx, resp.BillDownloadURL)
	if err != nil {
		return nil, err
	}
	bill, err := ParseTradeBill(data)
	if err != nil {
		return nil, err
	}
	if err := bill.checkPeriod(date); err != nil {
		return nil, err
	}
	return bill, nil
}

// checkPeriod refuses a bill that says it covers another period than the
// day or month asked for.
func (b *TradeBill) checkPeriod(date string) error {
	if b.From.IsZero() {
		return nil
	}
	layout := "2006-01-02"
	if len(date) == len("2006-01") {
		layout = "2006-01"
	}
	want, err := time.ParseInLocation(layout, date, Location())
	if err != nil || !b.From.Equal(want) {
		return &BillError{File: b.DetailFile, Problem: ErrBillMismatch,
			Detail: fmt.Sprintf("the bill starts %s, not at the start of %s", b.From.Format(TimeLayout), date)}
	}
	return nil
}
