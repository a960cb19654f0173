package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	bolt "go.etcd.io/bbolt"

	"kiosk/internal/latency"
	"kiosk/pos"
	"kiosk/ui"
)

// The benchmarks of a sale's receipt, through the whole kiosk as `go run
// .` runs it: the register, the ledger, the embedded emulator and its
// notifications, and the screen in a real Bubble Tea program, whose
// output a frameWriter watches. One op is one sale; each reports the
// percentiles of its samples beside a floor measured in the same loop.

// frameWriter is the terminal the program draws on. It notes when a
// write carries the marker a benchmark waits for: that write put the
// screen it marks on the terminal.
type frameWriter struct {
	mu     sync.Mutex
	marker []byte
	seen   chan time.Time
}

func newFrameWriter() *frameWriter { return &frameWriter{seen: make(chan time.Time, 1)} }

func (w *frameWriter) Write(p []byte) (int, error) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.marker != nil && bytes.Contains(p, w.marker) {
		w.marker = nil
		w.seen <- now
	}
	return len(p), nil
}

// expect makes the next write that carries marker send its time on the
// channel returned.
func (w *frameWriter) expect(marker string) <-chan time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.marker = []byte(marker)
	return w.seen
}

// markedModel is the kiosk's screen with one line above it: a marker
// while the screen shows the text the benchmark named (an order number on
// the QR screen, a trade number on the receipt), blank otherwise. Each
// stage has a marker that differs from every other in each of its
// characters and repeats none, so the terminal renderer, which writes
// only the cells that changed, writes it whole.
type markedModel struct {
	tea.Model
	marks *stageMarks
}

type stageMarks struct {
	mu     sync.Mutex
	stage  int
	text   string    // the screen's text that shows the stage is on screen
	viewed time.Time // when the program first made a view of the stage
}

// set starts the next stage, marked while the screen shows text, and
// returns its marker.
func (s *stageMarks) set(text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stage++
	s.text, s.viewed = text, time.Time{}
	return stageMarker(s.stage)
}

// viewedAt is when the program made the first view of the stage: from
// then on the screen is being drawn (ui.Program draws it at once).
func (s *stageMarks) viewedAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.viewed
}

func (s *stageMarks) marker(content string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text == "" || !strings.Contains(content, s.text) && !strings.Contains(ansi.Strip(content), s.text) {
		return ""
	}
	if s.viewed.IsZero() {
		s.viewed = time.Now()
	}
	return stageMarker(s.stage)
}

// stageMarker is 12 letters; consecutive stages differ in every one.
func stageMarker(stage int) string {
	b := make([]byte, 12)
	for i := range b {
		b[i] = 'a' + byte((stage*7+i*3)%26)
	}
	return string(b)
}

func (m markedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		size.Height-- // the marker's line
		msg = size
	}
	inner, cmd := m.Model.Update(msg)
	m.Model = inner
	return m, cmd
}

func (m markedModel) View() tea.View {
	v := m.Model.View()
	v.Content = m.marks.marker(v.Content) + "\n" + v.Content
	return v
}

// startsSales is the register as the screen sees it, telling the
// benchmark each sale it starts before the screen shows it, and how long
// the poll that found a payment took.
type startsSales struct {
	*pos.Register
	started   func(pos.Sale)
	foundPaid func(took time.Duration)
}

func (s startsSales) Poll(ctx context.Context, sale pos.Sale) (pos.PollResult, error) {
	start := time.Now()
	res, err := s.Register.Poll(ctx, sale)
	if res.Progress == pos.Paid {
		s.foundPaid(time.Since(start))
	}
	return res, err
}

func (s startsSales) Start(ctx context.Context, fen int64, subject string) (pos.Sale, error) {
	sale, err := s.Register.Start(ctx, fen, subject)
	if err == nil {
		s.started(sale)
	}
	return sale, err
}

// benchCounter is a whole kiosk on the embedded emulator, its screen in a
// Bubble Tea program drawing 100×32 characters into a frameWriter.
type benchCounter struct {
	c      *counter
	plan   counterPlan
	polled chan time.Duration // how long each poll that found a payment took
	p      *ui.Program
	out    *frameWriter
	marks  *stageMarks
	sales  chan startedSale
	done   chan error
	notify bool
}

// startBenchCounter runs the kiosk on dir, polling every poll, with or
// without notifications, until the benchmark ends.
func startBenchCounter(b *testing.B, dir string, poll time.Duration, notify bool) *benchCounter {
	b.Helper()
	plan, err := planCounter(fileConfig{PollInterval: duration{poll}, QRTimeout: duration{time.Hour}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tuneGCForTheCounter()) // as runCounter does; the floor, in this process, shares it
	if !notify {
		plan.notifyAddr, plan.pos.NotifyURL = "", ""
	}
	c, err := openCounter(plan, dir)
	if err != nil {
		b.Fatal(err)
	}
	k := &benchCounter{c: c, plan: plan, out: newFrameWriter(), marks: &stageMarks{}, sales: make(chan startedSale, 1), done: make(chan error, 1), notify: notify}
	k.polled = make(chan time.Duration, 1)
	checkout := startsSales{Register: c.register, started: func(s pos.Sale) {
		// Before the screen can draw the sale's QR code.
		k.sales <- startedSale{sale: s, shown: k.out.expect(k.marks.set(s.OutTradeNo))}
	}, foundPaid: func(took time.Duration) {
		select {
		case k.polled <- took:
		default: // not a benchmark that asks
		}
	}}
	// No countdown ticks nor head office's status: between a sale's QR
	// code and its receipt nothing else changes the screen.
	model := ui.New(checkout, ui.Options{ShopName: "Bench Shop", Tick: time.Hour, HeadOfficeEvery: time.Hour})
	k.p = ui.NewProgram(markedModel{Model: model, marks: k.marks}, k.out, nil,
		tea.WithWindowSize(100, 33), tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignalHandler())
	// The till opens once the sales left open are settled; what is typed
	// before that is not for a sale. The default subject is in the
	// amount's form.
	open := k.out.expect(k.marks.set(pos.DefaultSubject))
	go func() {
		_, err := k.p.Run()
		k.done <- err
	}()
	k.await(b, open, "the till, open")
	b.Cleanup(func() {
		k.p.Quit()
		<-k.done
		c.close()
	})
	return k
}

// showQR types an amount and returns the sale once its QR code is on the
// terminal.
func (k *benchCounter) showQR(b *testing.B) pos.Sale {
	b.Helper()
	for _, r := range "1.00" {
		k.p.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	k.p.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	select {
	case s := <-k.sales:
		k.await(b, s.shown, "the QR code of "+s.sale.OutTradeNo)
		return s.sale
	case <-time.After(30 * time.Second):
		b.Fatal("no sale started")
	}
	return pos.Sale{}
}

// startedSale is a sale started, and when its QR code reached the terminal.
type startedSale struct {
	sale  pos.Sale
	shown <-chan time.Time
}

// pay makes the customer scan the sale's code and pay, and returns when
// the payment was made, when the program made the receipt's view, and when
// the receipt reached the terminal.
func (k *benchCounter) pay(b *testing.B, sale pos.Sale) (paid, viewed, onScreen time.Time) {
	b.Helper()
	emu := k.c.server.Emulator
	if err := emu.Scan(sale.OutTradeNo); err != nil {
		b.Fatal(err)
	}
	t, _ := emu.Trade(sale.OutTradeNo)
	receipt := k.out.expect(k.marks.set(t.TradeNo))
	paid = time.Now()
	if err := emu.Pay(sale.OutTradeNo); err != nil {
		b.Fatal(err)
	}
	onScreen = k.await(b, receipt, "the receipt of "+sale.OutTradeNo)
	viewed = k.marks.viewedAt()
	k.p.Send(tea.KeyPressMsg{Code: ' ', Text: " "}) // the next sale
	return paid, viewed, onScreen
}

func (k *benchCounter) await(b *testing.B, seen <-chan time.Time, what string) time.Time {
	b.Helper()
	select {
	case at := <-seen:
		return at
	case err := <-k.done:
		b.Fatalf("the program ended (%v) before it showed %s", err, what)
	case <-time.After(30 * time.Second):
		b.Fatalf("%s never reached the terminal", what)
	}
	return time.Time{}
}

// notificationSent is when the emulator began to post the notification
// of the sale's payment that the kiosk answered: after Alipay's side
// (the trade's change, the signature), where the kiosk's part begins.
func (k *benchCounter) notificationSent(b *testing.B, sale pos.Sale, paid time.Time) time.Time {
	b.Helper()
	for range 3000 { // the attempt is recorded once the kiosk has answered it
		// Of this trade only: a copy of the day's deliveries after each sale
		// would be garbage that grows with the day, collected meanwhile.
		for _, d := range k.c.server.Emulator.DeliveriesOf(sale.OutTradeNo) {
			if d.Err == "" && !d.At.Before(paid) {
				return d.At
			}
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("no notification of %s was delivered", sale.OutTradeNo)
	return time.Time{}
}

// stateChanges is the number of changes of state the ledger recorded of
// the sale (its history: created, paid), the floor of its commits.
func (k *benchCounter) stateChanges(b *testing.B, sale pos.Sale) uint64 {
	b.Helper()
	s, err := k.c.ledger.Get(sale.OutTradeNo)
	if err != nil {
		b.Fatal(err)
	}
	return uint64(len(s.History))
}

// fillDay sells n sales on the kiosk's register, as a day at the counter
// leaves them in the data directory: each paid, its notification
// recorded.
func fillDay(b *testing.B, dir string, n int) {
	b.Helper()
	plan, err := planCounter(fileConfig{})
	if err != nil {
		b.Fatal(err)
	}
	c, err := openCounter(plan, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	for range n {
		sale, err := c.register.Start(b.Context(), 100, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := c.server.Emulator.Pay(sale.OutTradeNo); err != nil {
			b.Fatal(err)
		}
		select {
		case <-c.register.Notified():
		case <-time.After(30 * time.Second):
			b.Fatalf("the notification of %s never came", sale.OutTradeNo)
		}
	}
}

// receiptFloor is the least a notification's receipt can cost: one
// loopback HTTP round trip of a notification's size (a new connection,
// as the notify port keeps none), one RSA2 verification and one bbolt
// commit (two fdatasyncs) on an open database.
type receiptFloor struct {
	url    string
	client *http.Client
	body   string
	key    *rsa.PublicKey
	digest []byte
	sig    []byte
	db     *bolt.DB
	n      int
}

func newReceiptFloor(b *testing.B) *receiptFloor {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "success")
	})}
	srv.SetKeepAlivesEnabled(false)
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("notify_type=trade_status_sync&", 40) // about the size of Alipay's, 1.2 KB
	digest := sha256.Sum256([]byte(body))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(b.TempDir(), "floor.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &receiptFloor{url: "http://" + ln.Addr().String() + "/", client: &http.Client{Transport: tr},
		body: body, key: &key.PublicKey, digest: digest[:], sig: sig, db: db}
}

// once runs the floor's three steps and returns how long they took.
func (f *receiptFloor) once(b *testing.B) time.Duration {
	b.Helper()
	start := time.Now()
	resp, err := f.client.Post(f.url, "application/x-www-form-urlencoded", strings.NewReader(f.body))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err := rsa.VerifyPKCS1v15(f.key, crypto.SHA256, f.digest, f.sig); err != nil {
		b.Fatal(err)
	}
	f.n++
	err = f.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("sales"))
		if err != nil {
			return err
		}
		return bk.Put(fmt.Appendf(nil, "sale-%08d", f.n), bytes.Repeat([]byte("x"), 600))
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkNotificationToReceipt sells on the kiosk and times each
// receipt, from the moment the emulator posts its notification to the
// write that puts the receipt on the terminal ("notify"), and from the
// payment itself, Alipay's side included ("pay"), beside the floor; it
// splits "notify" at the moment the program made the receipt's view
// ("notify-view": the kiosk's work, also beside the floor; "frame-wait":
// from the view to its write, the drawing itself, which ui.Program does at
// once where Bubble Tea's renderer waited for its next frame), and counts
// the ledger's commits per sale beside the sale's changes of state, and
// the opens of the ledger's file from the QR code to the receipt (the
// notification's read and commit share one). With day=1000 the data
// directory holds a day of 1,000 sales first, to show the cost does not
// grow with the day; with -short, as CI runs it to see that it runs, 100.
func BenchmarkNotificationToReceipt(b *testing.B) {
	days := []int{0, 1000}
	if testing.Short() {
		days[1] = 100
	}
	for _, day := range days {
		b.Run(fmt.Sprintf("day=%d", day), func(b *testing.B) {
			dir := b.TempDir()
			fillDay(b, dir, day)
			k := startBenchCounter(b, dir, time.Hour, true)
			floor := newReceiptFloor(b)
			var notified, viewed, frames, paid, floors latency.Samples
			var commits, changes, opens uint64
			b.ResetTimer()
			for range b.N {
				before := k.c.ledger.Commits()
				sale := k.showQR(b)
				opened := k.c.ledger.Opens()
				payAt, view, shown := k.pay(b, sale)
				opens += k.c.ledger.Opens() - opened
				commits += k.c.ledger.Commits() - before
				changes += k.stateChanges(b, sale)
				paid.Add(shown.Sub(payAt))
				sent := k.notificationSent(b, sale, payAt)
				notified.Add(shown.Sub(sent))
				viewed.Add(view.Sub(sent))
				frames.Add(shown.Sub(view))
				floors.Add(floor.once(b))
			}
			b.StopTimer()
			notified.ReportBeside(b, "notify", floors, "floor")
			viewed.ReportBeside(b, "notify-view", floors, "floor")
			frames.Report(b, "frame-wait")
			paid.Report(b, "pay")
			b.ReportMetric(float64(commits)/float64(b.N), "ledger-commits/sale")
			b.ReportMetric(float64(changes)/float64(b.N), "state-changes/sale")
			b.ReportMetric(float64(opens)/float64(b.N), "ledger-opens/payment")
		})
	}
}

// BenchmarkPollingToReceipt sells without notifications, polling every
// 100 ms, and times each receipt from the payment, made at a different
// moment of the poll cadence each time, to the write that puts it on the
// terminal. Its bound is the interval, the poll that found the payment
// (its query and its write to the ledger, timed), and one frame;
// "over-bound" counts the receipts later than theirs, and max/bound is
// the worst receipt against its own bound. Beside them, "timer-late" is
// how late the machine woke a plain timer in the same process meanwhile:
// on a loaded machine a poll's beat is late by as much.
func BenchmarkPollingToReceipt(b *testing.B) {
	const interval = 100 * time.Millisecond
	k := startBenchCounter(b, b.TempDir(), interval, false)
	var receipts, polls latency.Samples
	over, worst := 0, 0.0
	timers := watchTimers(10 * time.Millisecond)
	b.ResetTimer()
	for i := range b.N {
		sale := k.showQR(b)
		time.Sleep(time.Duration(i*37%100) * interval / 100) // pay at another moment of the cadence
		payAt, _, shown := k.pay(b, sale)
		took := <-k.polled
		receipt, bound := shown.Sub(payAt), interval+took+time.Second/ui.FPS
		receipts.Add(receipt)
		polls.Add(took)
		if receipt > bound {
			over++
		}
		worst = max(worst, float64(receipt)/float64(bound))
	}
	b.StopTimer()
	late := timers()
	receipts.Report(b, "receipt")
	polls.Report(b, "poll")
	late.Report(b, "timer-late")
	b.ReportMetric(float64(late.Max())/float64(time.Millisecond), "timer-late-max-ms")
	b.ReportMetric(float64(receipts.Max())/float64(time.Millisecond), "receipt-max-ms")
	b.ReportMetric(float64(receipts.Max())/float64(interval), "max/interval")
	b.ReportMetric(worst, "max/bound")
	b.ReportMetric(float64(over), "over-bound")
}

// watchTimers wakes every period until the function it returns is called,
// and that function returns how late each wake-up was.
func watchTimers(period time.Duration) func() latency.Samples {
	stop, done := make(chan struct{}), make(chan latency.Samples)
	go func() {
		var late latency.Samples
		t := time.NewTimer(period)
		defer t.Stop()
		for due := time.Now().Add(period); ; due = due.Add(period) {
			t.Reset(time.Until(due))
			select {
			case <-stop:
				done <- late
				return
			case <-t.C:
				late.Since(due)
			}
		}
	}()
	return func() latency.Samples {
		close(stop)
		return <-done
	}
}
