package alipay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// serveBytes answers every request with status and body.
func serveBytes(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write(body)
	}
}

// downloadErr returns err as a *BillDownloadError, failing the test if it
// is not one.
func downloadErr(t *testing.T, err error) *BillDownloadError {
	t.Helper()
	var de *BillDownloadError
	if !errors.As(err, &de) || !errors.Is(err, ErrBillDownload) {
		t.Fatalf("error %v (%T), want a *BillDownloadError", err, err)
	}
	return de
}

// TestDownloadBill: the zip comes back as it was served.
func TestDownloadBill(t *testing.T) {
	zip := sampleBillZip(t)
	srv := httptest.NewServer(serveBytes(http.StatusOK, zip))
	defer srv.Close()
	c, _ := setup(t)
	got, err := c.DownloadBill(context.Background(), srv.URL+"/downloadBillFile.resource?bizType=trade&token=t0k3n")
	if err != nil || !bytes.Equal(got, zip) {
		t.Fatalf("DownloadBill = %d bytes, %v", len(got), err)
	}
}

// TestDownloadBillFailures: an error page, a wrong status, too many bytes,
// a dead server and a bad URL are *BillDownloadError naming the host and
// the status, never the URL's token.
func TestDownloadBillFailures(t *testing.T) {
	defer func(n int64) { maxBillDownloadBytes = n }(maxBillDownloadBytes)
	maxBillDownloadBytes = 4096
	expired := gbk(t, "下载超时，请重新下载")
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		says    string
	}{
		{"link expired", serveBytes(http.StatusOK, expired), 200, "not a zip"},
		{"link expired, as a status", serveBytes(http.StatusGone, expired), 410, "下载超时"},
		{"HTML page", serveBytes(http.StatusOK, []byte("<html>502 Bad Gateway</html>")), 200, "<html>502"},
		{"not found", serveBytes(http.StatusNotFound, nil), 404, "no bytes"},
		{"too large", serveBytes(http.StatusOK, append([]byte("PK"), make([]byte, 4096)...)), 200, "more than 4096 bytes"},
		{"cut off", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("PK\x03\x04"))
		}, 200, "cut off"},
	}
	c, _ := setup(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			data, err := c.DownloadBill(context.Background(), srv.URL+"/bill?token=s3cret")
			de := downloadErr(t, err)
			if data != nil || de.Status != tc.status || de.Host != strings.TrimPrefix(srv.URL, "http://") ||
				!strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q: status %d host %q, want %d saying %q", err, de.Status, de.Host, tc.status, tc.says)
			}
		})
	}

	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	if _, err := c.DownloadBill(context.Background(), dead.URL+"/bill"); downloadErr(t, err).Status != 0 {
		t.Errorf("dead server: %v", err)
	}
	for _, bad := range []string{"javascript:alert(1)", "ftp://example.com/bill.zip", "/bill.zip", "http://"} {
		if _, err := c.DownloadBill(context.Background(), bad); downloadErr(t, err).Status != 0 {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestDownloadBillRedirects: redirects are followed to http(s), a few at
// most, and never from https down to http.
func TestDownloadBillRedirects(t *testing.T) {
	zip := sampleBillZip(t)
	plain := httptest.NewServer(serveBytes(http.StatusOK, zip))
	defer plain.Close()
	var tlsSrv *httptest.Server
	tlsSrv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-https":
			http.Redirect(w, r, tlsSrv.URL+"/zip", http.StatusFound)
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/zip", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			w.Write(zip)
		}
	}))
	defer tlsSrv.Close()
	c, _ := setup(t, WithHTTPClient(tlsSrv.Client()))
	ctx := context.Background()
	if got, err := c.DownloadBill(ctx, tlsSrv.URL+"/to-https"); err != nil || !bytes.Equal(got, zip) {
		t.Errorf("https to https: %d bytes, %v", len(got), err)
	}
	for path, says := range map[string]string{"/to-http": "from https to http", "/to-file": "file: URL refused", "/loop": "more than 5 redirects"} {
		_, err := c.DownloadBill(ctx, tlsSrv.URL+path)
		if downloadErr(t, err); !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", path, err, says)
		}
	}
}

// TestDownloadBillDeadline: the caller's context bounds the download, and
// without a deadline of its own the download still ends.
func TestDownloadBillDeadline(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done() // never answers
	}))
	defer srv.Close()
	c, _ := setup(t)

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.DownloadBill(ctx, srv.URL+"/bill")
	if downloadErr(t, err); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}

	defer func(d time.Duration) { billDownloadTimeout = d }(billDownloadTimeout)
	billDownloadTimeout = time.Millisecond
	_, err = c.DownloadBill(context.Background(), srv.URL+"/bill")
	if downloadErr(t, err); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("without a deadline: %v", err)
	}
}

// TestClientTradeBill: the bill call, the download and the parser in one,
// refusing a bill for another day than the one asked for.
func TestClientTradeBill(t *testing.T) {
	c, mux := setup(t)
	var asked []string
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		got := readRequest(t, r, RSA2)
		asked = append(asked, got.biz)
		reply(t, w, MethodBillDownloadURL, `{"code":"10000","msg":"Success","bill_download_url":"http:\/\/`+r.Host+`\/bill.zip?t=1"}`)
	})
	mux.HandleFunc("/bill.zip", serveBytes(http.StatusOK, sampleBillZip(t)))
	ctx := context.Background()
	bill, err := c.TradeBill(ctx, "2026-11-22")
	if err != nil || len(bill.Entries) != 4 || bill.Summary.Total.Trades != 3 {
		t.Fatalf("TradeBill = %+v, %v", bill, err)
	}
	if len(asked) != 1 || asked[0] != `{"bill_type":"trade","bill_date":"2026-11-22"}` {
		t.Errorf("asked %q", asked)
	}
	for _, date := range []string{"2026-11-21", "2026-11"} {
		_, err = c.TradeBill(ctx, date)
		if be := billErr(t, err, ErrBillMismatch); !strings.Contains(be.Detail, "not at the start of "+date) {
			t.Errorf("%s: %v", date, err)
		}
	}
	if _, err := c.TradeBill(ctx, "yesterday"); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("bad date: %v", err)
	}
}
