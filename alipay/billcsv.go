package alipay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// billColumn is a column the parser knows: its name as Alipay writes it,
// other spellings seen, whether a header without it is refused (required)
// and whether a row may leave it blank, and how a value (padding already
// trimmed) lands in a record of type T.
type billColumn[T any] struct {
	name     string
	aliases  []string
	required bool // the header must name it
	filled   bool // and every row must give it a value
	set      func(rec *T, v string) error
}

// need is how much of a column the parser insists on.
type need int

const (
	optional need = iota // the column may be absent or blank
	present              // the header must name it; a value may be blank
	filled               // the header must name it and no value may be blank
)

func column[T any](name string, n need, set func(*T, string) error, aliases ...string) billColumn[T] {
	return billColumn[T]{name: name, aliases: aliases, required: n >= present, filled: n == filled, set: set}
}

func textColumn[T any](name string, n need, field func(*T) *string, aliases ...string) billColumn[T] {
	return column(name, n, func(rec *T, v string) error {
		*field(rec) = v
		return nil
	}, aliases...)
}

func amountColumn[T any](name string, n need, field func(*T) *int64) billColumn[T] {
	return column(name, n, func(rec *T, v string) error {
		if v == "" {
			return nil
		}
		fen, err := parseBillAmount(v)
		*field(rec) = fen
		return err
	})
}

func countColumn[T any](name string, n need, field func(*T) *int) billColumn[T] {
	return column(name, n, func(rec *T, v string) error {
		v = strings.TrimPrefix(v, "`")
		if v == "" {
			return nil
		}
		c, err := strconv.Atoi(v)
		if err != nil || !isDigits(v) {
			return fmt.Errorf("%q is not a count", v)
		}
		*field(rec) = c
		return nil
	})
}

func timeColumn[T any](name string, n need, field func(*T) *time.Time) billColumn[T] {
	return column(name, n, func(rec *T, v string) error {
		if v == "" {
			return nil
		}
		t, err := ParseTime(v)
		if err != nil {
			return fmt.Errorf("%q is not a time like 2006-01-02 15:04:05", v)
		}
		*field(rec) = t
		return nil
	})
}

// detailColumns are the detail file's columns in Alipay's order. A row
// must say which trade it is, whether it is a payment or a refund, when it
// happened and for how much; the rest may be missing.
var detailColumns = []billColumn[BillEntry]{
	textColumn("支付宝交易号", filled, func(e *BillEntry) *string { return &e.TradeNo }),
	textColumn("商户订单号", present, func(e *BillEntry) *string { return &e.OutTradeNo }),
	column("业务类型", filled, setKind),
	textColumn("商品名称", optional, func(e *BillEntry) *string { return &e.Subject }),
	timeColumn("创建时间", optional, func(e *BillEntry) *time.Time { return &e.CreatedAt }),
	timeColumn("完成时间", filled, func(e *BillEntry) *time.Time { return &e.FinishedAt }),
	textColumn("门店编号", optional, func(e *BillEntry) *string { return &e.StoreID }),
	textColumn("门店名称", optional, func(e *BillEntry) *string { return &e.StoreName }),
	textColumn("操作员", optional, func(e *BillEntry) *string { return &e.OperatorID }),
	textColumn("终端号", optional, func(e *BillEntry) *string { return &e.TerminalID }),
	textColumn("对方账户", optional, func(e *BillEntry) *string { return &e.BuyerAccount }),
	amountColumn("订单金额（元）", filled, func(e *BillEntry) *int64 { return &e.TotalFen }),
	amountColumn("商家实收（元）", filled, func(e *BillEntry) *int64 { return &e.ReceivedFen }),
	amountColumn("支付宝红包（元）", optional, func(e *BillEntry) *int64 { return &e.AlipayRedPacketFen }),
	amountColumn("集分宝（元）", optional, func(e *BillEntry) *int64 { return &e.PointsFen }),
	amountColumn("支付宝优惠（元）", optional, func(e *BillEntry) *int64 { return &e.AlipayDiscountFen }),
	amountColumn("商家优惠（元）", optional, func(e *BillEntry) *int64 { return &e.MerchantDiscountFen }),
	amountColumn("券核销金额（元）", optional, func(e *BillEntry) *int64 { return &e.VoucherFen }),
	textColumn("券名称", optional, func(e *BillEntry) *string { return &e.VoucherName }),
	amountColumn("商家红包消费金额（元）", optional, func(e *BillEntry) *int64 { return &e.MerchantRedPacketFen }),
	amountColumn("卡消费金额（元）", optional, func(e *BillEntry) *int64 { return &e.CardFen }),
	textColumn("退款批次号/请求号", optional, func(e *BillEntry) *string { return &e.OutRequestNo }, "退款批次号"),
	amountColumn("服务费（元）", optional, func(e *BillEntry) *int64 { return &e.ServiceFeeFen }),
	amountColumn("分润（元）", optional, func(e *BillEntry) *int64 { return &e.ProfitShareFen }),
	textColumn("备注", optional, func(e *BillEntry) *string { return &e.Remark }),
}

// summaryColumns are the summary file's columns in Alipay's order.
// 门店编号 holds 合计 on the total row.
var summaryColumns = []billColumn[BillStoreTotal]{
	textColumn("门店编号", present, func(s *BillStoreTotal) *string { return &s.StoreID }),
	textColumn("门店名称", optional, func(s *BillStoreTotal) *string { return &s.StoreName }),
	countColumn("交易订单总笔数", filled, func(s *BillStoreTotal) *int { return &s.Trades }),
	countColumn("退款订单总笔数", filled, func(s *BillStoreTotal) *int { return &s.Refunds }),
	amountColumn("订单金额（元）", filled, func(s *BillStoreTotal) *int64 { return &s.TotalFen }),
	amountColumn("商家实收（元）", filled, func(s *BillStoreTotal) *int64 { return &s.ReceivedFen }),
	amountColumn("支付宝优惠（元）", optional, func(s *BillStoreTotal) *int64 { return &s.AlipayDiscountFen }),
	amountColumn("商家优惠（元）", optional, func(s *BillStoreTotal) *int64 { return &s.MerchantDiscountFen }),
	amountColumn("卡消费金额（元）", optional, func(s *BillStoreTotal) *int64 { return &s.CardFen }),
	amountColumn("服务费（元）", optional, func(s *BillStoreTotal) *int64 { return &s.ServiceFeeFen }),
	amountColumn("分润（元）", optional, func(s *BillStoreTotal) *int64 { return &s.ProfitShareFen }),
	amountColumn("实收净额（元）", optional, func(s *BillStoreTotal) *int64 { return &s.NetFen }),
}

// setKind reads 业务类型.
func setKind(e *BillEntry, v string) error {
	switch v {
	case "交易":
		e.Kind = BillTrade
	case "退款":
		e.Kind = BillRefund
	default:
		return fmt.Errorf("%q is neither 交易 nor 退款", v)
	}
	return nil
}

// parseBillAmount reads a signed yuan amount as the bill writes it
// ("12.34", "-0.01", "0.00"; a leading backquote, which some exports add
// to keep spreadsheets from reformatting, is dropped). Zeros beyond the
// second decimal are accepted, anything finer than a fen is not.
func parseBillAmount(v string) (int64, error) {
	s := strings.TrimPrefix(v, "`")
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 && strings.Trim(frac[2:], "0") == "" {
		s = whole + "." + frac[:2]
	}
	fen, err := ParseAmount(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", v, err)
	}
	if neg {
		fen = -fen
	}
	return fen, nil
}

// columnMap maps a header row's positions to known columns.
type columnMap[T any] struct {
	known []*billColumn[T] // per position; nil for a column not known here
	names []string         // the header's names, normalized
	need  int              // a row must have at least this many fields
	other bool             // some named column is not known
}

// mapColumns reads a header row. It refuses a column named twice and a
// header lacking a required column.
func mapColumns[T any](columns []billColumn[T], header []string) (*columnMap[T], string) {
	byName := map[string]*billColumn[T]{}
	for i := range columns {
		c := &columns[i]
		for _, n := range append([]string{c.name}, c.aliases...) {
			byName[normalizeColumn(n)] = c
		}
	}
	m := &columnMap[T]{known: make([]*billColumn[T], len(header)), names: make([]string, len(header))}
	seen := map[*billColumn[T]]bool{}
	seenName := map[string]bool{}
	for i, raw := range header {
		name := normalizeColumn(raw)
		m.names[i] = name
		if name == "" {
			continue
		}
		if seenName[name] {
			return nil, fmt.Sprintf("column %s appears twice", name)
		}
		seenName[name] = true
		m.need = i + 1
		c := byName[name]
		if c == nil {
			m.other = true
			continue
		}
		if seen[c] {
			return nil, fmt.Sprintf("column %s appears twice (as %s)", c.name, name)
		}
		seen[c] = true
		m.known[i] = c
	}
	var missing []string
	for i := range columns {
		if columns[i].required && !seen[&columns[i]] {
			missing = append(missing, columns[i].name)
		}
	}
	if len(missing) > 0 {
		return nil, "no column " + strings.Join(missing, ", ") + " in " + strings.Join(header, ",")
	}
	return m, ""
}

// fill makes a record of a row, or says which column was at fault.
func (m *columnMap[T]) fill(fields []string) (*T, string, error) {
	if len(fields) < m.need {
		return nil, "", fmt.Errorf("%d values where the header names %d columns", len(fields), m.need)
	}
	var rec T
	var other map[string]string
	for i, raw := range fields {
		v := trimValue(raw)
		if i >= len(m.names) {
			if v != "" {
				return nil, "", fmt.Errorf("value %q after the last column", v)
			}
			continue
		}
		c := m.known[i]
		if c == nil {
			if m.names[i] != "" {
				if other == nil {
					other = map[string]string{}
				}
				other[m.names[i]] = v
			}
			continue
		}
		if v == "" && c.filled {
			return nil, c.name, errors.New("blank")
		}
		if err := c.set(&rec, v); err != nil {
			return nil, c.name, err
		}
	}
	setOther(&rec, other)
	return &rec, "", nil
}

// setOther stores the unknown columns' values in the record.
func setOther[T any](rec *T, other map[string]string) {
	switch r := any(rec).(type) {
	case *BillEntry:
		r.Other = other
	case *BillStoreTotal:
		r.Other = other
	}
}

// Lines of a bill file that are not rows, compiled when a bill is first
// read rather than at the start of every kiosk command.
var (
	reAccount  = lazyRegexp(`账号[：:]\s*\[([^\]]*)\]`)
	reFrom     = lazyRegexp(`起始日期[：:]\s*\[([^\]]*)\]`)
	reTo       = lazyRegexp(`终止日期[：:]\s*\[([^\]]*)\]`)
	reExported = lazyRegexp(`导出时间[：:]\s*\[([^\]]*)\]`)

	reTradeCount     = lazyRegexp(`交易合计[：:]\s*([0-9]+)\s*笔`)
	reRefundCount    = lazyRegexp(`退款合计[：:]\s*([0-9]+)\s*笔`)
	reTradeReceived  = lazyRegexp(`商家实收共\s*([-+0-9.]+)\s*元`)
	reRefundReceived = lazyRegexp(`商家实收退款共\s*([-+0-9.]+)\s*元`)
	reTradeDiscount  = lazyRegexp(`商家优惠共\s*([-+0-9.]+)\s*元`)
	reRefundDiscount = lazyRegexp(`商家优惠退款共\s*([-+0-9.]+)\s*元`)
)

// lazyRegexp returns expr, compiled at the first call.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// metaTimeLayouts are the forms of the times in '#' lines.
var metaTimeLayouts = []string{"2006年01月02日 15:04:05", TimeLayout, "2006年01月02日", "2006-01-02"}

func parseMetaTime(s string) (time.Time, error) {
	s = trimValue(s)
	for _, layout := range metaTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2006年01月02日 15:04:05", s)
}

// stated is a footer figure and the line that stated it (0: not stated).
type stated struct {
	value int64
	line  int
}

// billFooter holds what the detail's '#' lines after the list say.
type billFooter struct {
	trades, refunds               stated
	tradeReceived, refundReceived stated
	tradeDiscount, refundDiscount stated
}

// detailParser is the state of reading one detail file.
type detailParser struct {
	file   string
	lines  *billLines
	bill   *TradeBill
	cols   *columnMap[BillEntry]
	ended  bool
	footer billFooter
	hint   string
}

// parseDetail reads the detail file from raw (GBK bytes) into b.
func parseDetail(file string, raw io.Reader, b *TradeBill) error {
	raw, hint := peekHint(raw)
	p := &detailParser{file: file, lines: newBillLines(file, raw), bill: b, hint: hint}
	for {
		line, err := p.lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := p.line(line); err != nil {
			return err
		}
	}
	switch {
	case p.cols == nil:
		return p.fail(0, "", ErrBillHeader, nil, joinHint("no row naming the columns", p.hint))
	case !p.ended:
		return p.fail(p.lines.n, "", ErrBillTruncated, nil, "the file ends before the …业务明细列表结束 line")
	}
	return p.footer.check(p.file, b.Entries)
}

// line takes one line of the file.
func (p *detailParser) line(line string) error {
	if blankLine(line) {
		return nil
	}
	if t := trimValue(line); strings.HasPrefix(t, "#") {
		return p.meta(strings.TrimRight(t, ", \t"))
	}
	if p.ended {
		return p.fail(p.lines.n, "", ErrBillField, nil, "a row after the end of the list")
	}
	fields, ok := splitBillLine(line)
	if !ok {
		return p.fail(p.lines.n, "", ErrBillField, nil, fmt.Sprintf("unbalanced quotes in %q", line))
	}
	if p.cols == nil {
		cols, problem := mapColumns(detailColumns, fields)
		if cols == nil {
			return p.fail(p.lines.n, "", ErrBillHeader, nil, joinHint(problem, p.hint))
		}
		p.cols = cols
		return nil
	}
	e, column, err := p.cols.fill(fields)
	if err != nil {
		return p.fail(p.lines.n, column, ErrBillField, err, "")
	}
	e.Line = p.lines.n
	p.bill.Entries = append(p.bill.Entries, *e)
	return nil
}

// meta reads a '#' line: the account, the period, the end of the list,
// the footer's totals.
func (p *detailParser) meta(line string) error {
	n := p.lines.n
	if p.cols != nil && !p.ended && strings.Contains(line, "列表结束") {
		p.ended = true
		return nil
	}
	if m := reAccount().FindStringSubmatch(line); m != nil {
		p.bill.Account = trimValue(m[1])
	}
	for _, t := range []struct {
		re   func() *regexp.Regexp
		dest *time.Time
		name string
	}{{reFrom, &p.bill.From, "起始日期"}, {reTo, &p.bill.To, "终止日期"}, {reExported, &p.bill.ExportedAt, "导出时间"}} {
		if m := t.re().FindStringSubmatch(line); m != nil {
			v, err := parseMetaTime(m[1])
			if err != nil {
				return p.fail(n, t.name, ErrBillField, err, "")
			}
			*t.dest = v
		}
	}
	if !p.ended {
		return nil
	}
	return p.footer.read(p, line)
}

// read takes the totals a footer line states.
func (f *billFooter) read(p *detailParser, line string) error {
	n := p.lines.n
	for _, c := range []struct {
		re     func() *regexp.Regexp
		dest   *stated
		amount bool
		what   string
	}{
		{reTradeCount, &f.trades, false, "交易合计"},
		{reRefundCount, &f.refunds, false, "退款合计"},
		{reTradeReceived, &f.tradeReceived, true, "商家实收共"},
		{reRefundReceived, &f.refundReceived, true, "商家实收退款共"},
		{reTradeDiscount, &f.tradeDiscount, true, "商家优惠共"},
		{reRefundDiscount, &f.refundDiscount, true, "商家优惠退款共"},
	} {
		m := c.re().FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var v int64
		var err error
		if c.amount {
			v, err = parseBillAmount(m[1])
		} else {
			v, err = strconv.ParseInt(m[1], 10, 32)
		}
		if err != nil {
			return p.fail(n, c.what, ErrBillField, err, "")
		}
		*c.dest = stated{value: v, line: n}
	}
	return nil
}

// check compares the footer with the rows: a count or sum it states must
// be what the rows add up to.
func (f *billFooter) check(file string, entries []BillEntry) error {
	var trades, refunds, tradeReceived, refundReceived, tradeDiscount, refundDiscount int64
	for i := range entries {
		e := &entries[i]
		if e.Kind == BillTrade {
			trades++
			tradeReceived += e.ReceivedFen
			tradeDiscount += e.MerchantDiscountFen
		} else {
			refunds++
			refundReceived += e.ReceivedFen
			refundDiscount += e.MerchantDiscountFen
		}
	}
	for _, c := range []struct {
		footer stated
		rows   int64
		money  bool
		what   string
	}{
		{f.trades, trades, false, "交易合计 (payments)"},
		{f.refunds, refunds, false, "退款合计 (refunds)"},
		{f.tradeReceived, tradeReceived, true, "商家实收共 (received on payments)"},
		{f.refundReceived, refundReceived, true, "商家实收退款共 (received on refunds)"},
		{f.tradeDiscount, tradeDiscount, true, "商家优惠共 (merchant discounts on payments)"},
		{f.refundDiscount, refundDiscount, true, "商家优惠退款共 (merchant discounts on refunds)"},
	} {
		if c.footer.line == 0 || c.footer.value == c.rows {
			continue
		}
		said, found := strconv.FormatInt(c.footer.value, 10), strconv.FormatInt(c.rows, 10)
		if c.money {
			said, found = FormatAmount(c.footer.value), FormatAmount(c.rows)
		}
		return &BillError{File: file, Line: c.footer.line, Problem: ErrBillMismatch,
			Detail: fmt.Sprintf("the footer's %s is %s, the rows add up to %s", c.what, said, found)}
	}
	return nil
}

// fail makes a *BillError about this file, passing on one it is given.
func (p *detailParser) fail(line int, column string, problem, err error, detail string) error {
	return &BillError{File: p.file, Line: line, Column: column, Problem: problem, Detail: detail, Err: err}
}

// parseSummary reads the summary file from raw (GBK bytes) into s.
func parseSummary(file string, raw io.Reader, s *BillSummary) error {
	raw, hint := peekHint(raw)
	lines := newBillLines(file, raw)
	fail := func(line int, column string, problem, err error, detail string) error {
		return &BillError{File: file, Line: line, Column: column, Problem: problem, Detail: detail, Err: err}
	}
	var cols *columnMap[BillStoreTotal]
	ended, haveTotal := false, false
	for {
		line, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		t := trimValue(line)
		switch {
		case blankLine(line):
			continue
		case strings.HasPrefix(t, "#"):
			if cols != nil && strings.Contains(t, "列表结束") {
				ended = true
			}
			continue
		case ended:
			return fail(lines.n, "", ErrBillField, nil, "a row after the end of the list")
		}
		fields, ok := splitBillLine(line)
		if !ok {
			return fail(lines.n, "", ErrBillField, nil, fmt.Sprintf("unbalanced quotes in %q", line))
		}
		if cols == nil {
			var problem string
			if cols, problem = mapColumns(summaryColumns, fields); cols == nil {
				return fail(lines.n, "", ErrBillHeader, nil, joinHint(problem, hint))
			}
			continue
		}
		row, column, err := cols.fill(fields)
		if err != nil {
			return fail(lines.n, column, ErrBillField, err, "")
		}
		row.Line = lines.n
		if row.StoreID == "合计" {
			if haveTotal {
				return fail(lines.n, "门店编号", ErrBillField, nil, "a second 合计 (total) row")
			}
			row.StoreID, haveTotal = "", true
			s.Total = *row
			continue
		}
		s.Stores = append(s.Stores, *row)
	}
	switch {
	case cols == nil:
		return fail(0, "", ErrBillHeader, nil, joinHint("no row naming the columns", hint))
	case !ended:
		return fail(lines.n, "", ErrBillTruncated, nil, "the file ends before the …业务汇总列表结束 line")
	case !haveTotal:
		return fail(lines.n, "", ErrBillTruncated, nil, "no 合计 (total) row")
	}
	return nil
}

// peekHint looks at the first bytes of raw for encodingHint and returns a
// reader that still yields them.
func peekHint(raw io.Reader) (io.Reader, string) {
	start := make([]byte, 4096)
	n, err := io.ReadFull(raw, start)
	start = start[:n]
	rest := io.MultiReader(bytes.NewReader(start), raw)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		rest = io.MultiReader(bytes.NewReader(start), errReader{err})
	}
	return rest, encodingHint(start)
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// joinHint adds hint, when there is one, to a problem's description.
func joinHint(problem, hint string) string {
	if hint == "" {
		return problem
	}
	return problem + " (" + hint + ")"
}
