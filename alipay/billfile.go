package alipay

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// A trade bill (对账单) is what bill_download_url serves for bill_type trade:
// a zip holding two GBK-encoded CSV files, the detail
// (<account>_<date>_业务明细.csv) and the summary by store
// (<account>_<date>_业务明细(汇总).csv); the entry names are GBK too, without
// the zip's UTF-8 flag. Each file opens with '#' lines (#支付宝业务明细查询,
// #账号：[…], #起始日期：[…]   终止日期：[…], a dashed 业务明细列表 line), then a
// row naming the columns and the data rows, and ends with a dashed
// …列表结束 line and more '#' lines: the detail's #交易合计：N笔，商家实收共X元…,
// #退款合计：M笔，商家实收退款共-Y元… and #导出时间：[…]. Values are often padded
// with a trailing tab. A payment is a 交易 row, each refund a 退款 row of its
// own with negative amounts; times are Beijing wall-clock time.

// ErrBadBill is wrapped by every error ParseTradeBill returns; the
// *BillError says where and what.
var ErrBadBill = errors.New("alipay: unreadable bill")

// What can be wrong with a bill. A *BillError wraps one of them.
var (
	ErrBillNotZip      = errors.New("not a zip archive")
	ErrBillZipDamaged  = errors.New("damaged zip entry")
	ErrBillFileMissing = errors.New("file missing from the zip")
	ErrBillFileTwice   = errors.New("file found twice in the zip")
	ErrBillTooLarge    = errors.New("bill too large")
	ErrBillTruncated   = errors.New("bill cut short")
	ErrBillHeader      = errors.New("bad column header")
	ErrBillField       = errors.New("bad value")
	ErrBillMismatch    = errors.New("totals do not add up")
)

// BillError is a bill that cannot be read, with where and why.
type BillError struct {
	File    string // the file in the zip, "" for the zip itself
	Line    int    // line of File, from 1; 0 when no line is at fault
	Column  string // the column concerned, "" for none
	Problem error  // ErrBillNotZip, ErrBillTruncated, ...
	Detail  string // what exactly was found
	Err     error  // the underlying error (zip, amount, time), or nil
}

// Error says all of it: `alipay bill 2088…_业务明细.csv line 7, 订单金额（元）:
// bad value: "1,2": alipay: malformed amount`.
func (e *BillError) Error() string {
	var b strings.Builder
	b.WriteString("alipay bill")
	if e.File != "" {
		b.WriteString(" " + e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		b.WriteString(", " + e.Column)
	}
	b.WriteString(": " + e.Problem.Error())
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is find ErrBadBill, the Problem and the cause.
func (e *BillError) Unwrap() []error {
	errs := []error{ErrBadBill, e.Problem}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// BillKind is a row's 业务类型.
type BillKind string

// The kinds of row in a trade bill.
const (
	BillTrade  BillKind = "trade"  // 交易: a payment
	BillRefund BillKind = "refund" // 退款: one refund of a payment
)

// TradeBill is a trade bill as read from its zip.
type TradeBill struct {
	// Account is #账号：the merchant's 2088… partner id with "0156" after it.
	Account string
	// From and To are #起始日期 and 终止日期: the bill covers [From, To).
	// Zero when the file does not say.
	From, To time.Time
	// ExportedAt is #导出时间, zero when absent.
	ExportedAt time.Time
	// DetailFile and SummaryFile are the names of the files in the zip.
	DetailFile, SummaryFile string
	// Entries are the detail's rows in file order.
	Entries []BillEntry
	// Summary is the summary file; nil when the zip has none.
	Summary *BillSummary
}

// BillEntry is one row of the detail file. Amounts are fen, signed as
// Alipay writes them: a refund row's are negative, and so is a service fee
// charged.
type BillEntry struct {
	Line int // the row's line in the detail file

	TradeNo      string    // 支付宝交易号
	OutTradeNo   string    // 商户订单号
	Kind         BillKind  // 业务类型
	Subject      string    // 商品名称
	CreatedAt    time.Time // 创建时间: the trade's, on its refunds too; zero if blank
	FinishedAt   time.Time // 完成时间: when it was paid, or refunded
	StoreID      string    // 门店编号
	StoreName    string    // 门店名称
	OperatorID   string    // 操作员
	TerminalID   string    // 终端号
	BuyerAccount string    // 对方账户, masked as Alipay shows it

	TotalFen             int64  // 订单金额（元）
	ReceivedFen          int64  // 商家实收（元）
	AlipayRedPacketFen   int64  // 支付宝红包（元）
	PointsFen            int64  // 集分宝（元）
	AlipayDiscountFen    int64  // 支付宝优惠（元）
	MerchantDiscountFen  int64  // 商家优惠（元）
	VoucherFen           int64  // 券核销金额（元）
	VoucherName          string // 券名称
	MerchantRedPacketFen int64  // 商家红包消费金额（元）
	CardFen              int64  // 卡消费金额（元）
	OutRequestNo         string // 退款批次号/请求号: the refund's out_request_no
	ServiceFeeFen        int64  // 服务费（元）
	ProfitShareFen       int64  // 分润（元）
	Remark               string // 备注

	// Other holds, by name, the values of columns this package does not
	// know; nil when there are none.
	Other map[string]string
}

// BillSummary is the summary file: a row per store and the 合计 row.
type BillSummary struct {
	Stores []BillStoreTotal
	Total  BillStoreTotal // the 合计 row; its StoreID is ""
}

// BillStoreTotal is one row of the summary file.
type BillStoreTotal struct {
	Line int // the row's line in the summary file

	StoreID             string // 门店编号
	StoreName           string // 门店名称
	Trades              int    // 交易订单总笔数
	Refunds             int    // 退款订单总笔数
	TotalFen            int64  // 订单金额（元）
	ReceivedFen         int64  // 商家实收（元）
	AlipayDiscountFen   int64  // 支付宝优惠（元）
	MerchantDiscountFen int64  // 商家优惠（元）
	CardFen             int64  // 卡消费金额（元）
	ServiceFeeFen       int64  // 服务费（元）
	ProfitShareFen      int64  // 分润（元）
	NetFen              int64  // 实收净额（元）

	Other map[string]string // columns this package does not know
}

// TradeBillColumns returns the detail file's columns in the order Alipay
// writes them.
func TradeBillColumns() []string {
	names := make([]string, len(detailColumns))
	for i, c := range detailColumns {
		names[i] = c.name
	}
	return names
}

// TradeBillSummaryColumns returns the summary file's columns in Alipay's
// order.
func TradeBillSummaryColumns() []string {
	names := make([]string, len(summaryColumns))
	for i, c := range summaryColumns {
		names[i] = c.name
	}
	return names
}

// Limits on what is read: a day of a busy counter is well under a
// megabyte, so these only stop a hostile or broken download.
// maxBillFileBytes is a variable for the tests.
var maxBillFileBytes int64 = 256 << 20 // one file, once inflated

const maxBillLineBytes = 64 << 10 // one line, once decoded

// File name endings of the two files in a trade bill's zip.
const (
	detailSuffix  = "业务明细.csv"
	summarySuffix = "业务明细(汇总).csv"
)

// ParseTradeBill reads a trade bill from the bytes of its zip. It finds
// the detail and summary files by name, decodes them from GBK, skips the
// '#' lines around the lists (reading the account, the period and the
// totals from them), maps the columns by name, so extra or reordered
// columns do no harm, and trims the tabs and spaces around values. It
// checks the rows against the detail's footer (counts and merchant
// receipts per kind) and fails if they disagree, if a file ends before
// its end-of-list line, or if a value cannot be read. A zip without a
// summary file is accepted (Summary is nil); one without a detail file is
// not. Every error is a *BillError wrapping ErrBadBill.
func ParseTradeBill(data []byte) (*TradeBill, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &BillError{Problem: ErrBillNotZip, Detail: describeStart(data), Err: err}
	}
	detail, summary, err := findBillFiles(zr)
	if err != nil {
		return nil, err
	}
	b := &TradeBill{DetailFile: detail.name}
	if err := readBillFile(detail, func(r io.Reader) error { return parseDetail(detail.name, r, b) }); err != nil {
		return nil, err
	}
	if summary.file != nil {
		b.SummaryFile = summary.name
		b.Summary = &BillSummary{}
		if err := readBillFile(summary, func(r io.Reader) error { return parseSummary(summary.name, r, b.Summary) }); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// billFile is a file of the zip with its decoded name.
type billFile struct {
	file *zip.File
	name string
}

// findBillFiles picks the detail and the summary out of the zip; other
// files (a signcustomer bill's 账务明细, say) are left alone.
func findBillFiles(zr *zip.Reader) (detail, summary billFile, err error) {
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name, kind := classifyBillFile(f)
		var slot *billFile
		switch kind {
		case detailSuffix:
			slot = &detail
		case summarySuffix:
			slot = &summary
		default:
			continue
		}
		if slot.file != nil {
			return detail, summary, &BillError{Problem: ErrBillFileTwice, Detail: slot.name + " and " + name}
		}
		*slot = billFile{file: f, name: name}
	}
	if detail.file == nil {
		return detail, summary, &BillError{Problem: ErrBillFileMissing,
			Detail: fmt.Sprintf("no …%s among %s", detailSuffix, listBillFiles(zr))}
	}
	return detail, summary, nil
}

// classifyBillFile returns the file's name as text and which of the two
// files it is (detailSuffix, summarySuffix or ""). Alipay writes the names
// in GBK without the UTF-8 flag; a name that is valid UTF-8 is tried as
// such too, for zips made by other tools.
func classifyBillFile(f *zip.File) (string, string) {
	candidates := []string{}
	if f.NonUTF8 || !utf8.ValidString(f.Name) {
		if s, err := simplifiedchinese.GB18030.NewDecoder().String(f.Name); err == nil {
			candidates = append(candidates, s)
		}
	}
	if utf8.ValidString(f.Name) {
		candidates = append(candidates, f.Name)
	}
	for _, name := range candidates {
		base := path.Base(strings.ReplaceAll(name, `\`, "/"))
		base = strings.NewReplacer("（", "(", "）", ")").Replace(base)
		switch {
		case strings.HasSuffix(base, summarySuffix):
			return name, summarySuffix
		case strings.HasSuffix(base, detailSuffix):
			return name, detailSuffix
		}
	}
	if len(candidates) > 0 {
		return candidates[0], ""
	}
	return fmt.Sprintf("%q", f.Name), ""
}

// listBillFiles names the zip's files for an error message.
func listBillFiles(zr *zip.Reader) string {
	if len(zr.File) == 0 {
		return "an empty zip"
	}
	names := make([]string, 0, len(zr.File))
	for i, f := range zr.File {
		if i == 8 {
			names = append(names, fmt.Sprintf("and %d more", len(zr.File)-i))
			break
		}
		name, _ := classifyBillFile(f)
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// readBillFile opens f and hands parse its bytes. The size is checked
// before anything is inflated; archive/zip itself refuses an entry that
// inflates beyond the size the zip declares for it.
func readBillFile(f billFile, parse func(io.Reader) error) error {
	if f.file.UncompressedSize64 > uint64(maxBillFileBytes) {
		return &BillError{File: f.name, Problem: ErrBillTooLarge,
			Detail: fmt.Sprintf("%d bytes inflated, at most %d are read", f.file.UncompressedSize64, maxBillFileBytes)}
	}
	rc, err := f.file.Open()
	if err != nil {
		return &BillError{File: f.name, Problem: ErrBillZipDamaged, Err: err}
	}
	defer rc.Close()
	err = parse(zipErrors{rc, f.name})
	var be *BillError
	if err != nil && !errors.As(err, &be) {
		return &BillError{File: f.name, Problem: ErrBillZipDamaged, Err: err}
	}
	return err
}

// zipErrors turns a failure to inflate (a bad checksum, a cut deflate
// stream) into a *BillError, so the parsers can pass it on as it is.
type zipErrors struct {
	r    io.Reader
	name string
}

func (z zipErrors) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if err != nil && err != io.EOF {
		err = &BillError{File: z.name, Problem: ErrBillZipDamaged, Err: err}
	}
	return n, err
}

// describeStart says what a blob that is not a zip begins with, so that
// an error page ("下载超时，请重新下载") shows in the error.
func describeStart(data []byte) string {
	if len(data) == 0 {
		return "no bytes at all"
	}
	return fmt.Sprintf("%d bytes beginning %s", len(data), quoteStart(data, 80))
}

// quoteStart quotes up to n bytes of data's start as text, decoded from
// GBK unless it is UTF-8.
func quoteStart(data []byte, n int) string {
	if len(data) > n {
		data = data[:n]
	}
	text := string(data)
	if !utf8.Valid(data) {
		if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
			text = string(s)
		}
	}
	return fmt.Sprintf("%q", text)
}

// billLines reads a bill file's lines, decoded from GBK, numbering them.
type billLines struct {
	s    *bufio.Scanner
	n    int // number of the line last returned
	file string
}

func newBillLines(file string, raw io.Reader) *billLines {
	s := bufio.NewScanner(transform.NewReader(raw, simplifiedchinese.GB18030.NewDecoder()))
	s.Buffer(make([]byte, 0, 4096), maxBillLineBytes)
	return &billLines{s: s, file: file}
}

// next returns the next line without its line ending, and io.EOF after
// the last one.
func (l *billLines) next() (string, error) {
	if !l.s.Scan() {
		err := l.s.Err()
		switch {
		case err == nil:
			return "", io.EOF
		case errors.Is(err, bufio.ErrTooLong):
			return "", &BillError{File: l.file, Line: l.n + 1, Problem: ErrBillField,
				Detail: fmt.Sprintf("line longer than %d bytes", maxBillLineBytes)}
		}
		return "", err
	}
	l.n++
	line := l.s.Text()
	if l.n == 1 {
		line = strings.TrimPrefix(line, "\ufeff")
	}
	return line, nil
}

// encodingHint looks at a file's first bytes and explains, for a header
// that was not found, that the file is not GBK.
func encodingHint(start []byte) string {
	if bytes.HasPrefix(start, []byte("\xef\xbb\xbf")) {
		return "the file starts with a UTF-8 byte order mark: it is UTF-8, not GBK"
	}
	// Cut a rune the peek split in two.
	for i := 0; i < utf8.UTFMax && len(start) > 0 && !utf8.Valid(start); i++ {
		start = start[:len(start)-1]
	}
	if utf8.Valid(start) && bytes.ContainsFunc(start, func(r rune) bool { return r >= utf8.RuneSelf }) {
		return "the file is valid UTF-8 with non-ASCII text: it was not written in GBK"
	}
	return ""
}

// splitBillLine splits a line into fields at commas. A field may be
// quoted with '"' (a doubled quote inside is one quote), with spaces or
// tabs around the quotes; ok is false for a quote left open or text after
// a closing quote.
func splitBillLine(line string) (fields []string, ok bool) {
	fields = make([]string, 0, 32)
	for {
		trimmed := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(trimmed, `"`) {
			i := strings.IndexByte(line, ',')
			if i < 0 {
				return append(fields, line), true
			}
			fields = append(fields, line[:i])
			line = line[i+1:]
			continue
		}
		var b strings.Builder
		s := trimmed[1:]
		for {
			i := strings.IndexByte(s, '"')
			if i < 0 {
				return nil, false
			}
			b.WriteString(s[:i])
			s = s[i+1:]
			if !strings.HasPrefix(s, `"`) {
				break
			}
			b.WriteByte('"')
			s = s[1:]
		}
		fields = append(fields, b.String())
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return fields, true
		}
		if s[0] != ',' {
			return nil, false
		}
		line = s[1:]
	}
}

// trimValue removes the padding Alipay puts around values.
func trimValue(s string) string { return strings.Trim(s, " \t\r\u00a0") }

// blankLine reports whether a line holds nothing but padding and commas.
func blankLine(s string) bool { return strings.Trim(s, " \t,") == "" }

// normalizeColumn maps a column name to the spelling used here: padding
// dropped, ASCII parentheses made full-width as Alipay writes them.
func normalizeColumn(s string) string {
	s = strings.TrimPrefix(trimValue(s), "\ufeff")
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}
