package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/ui/words"
)

// Opening is what the screen knows before the counter is open: enough to
// say, in the kiosk's words, that it is starting.
type Opening struct {
	ShopName string
	Words    *words.Words // default words.English
	// Said gets what the kiosk says once its screen has closed (a sale
	// the stop found paid); nil: nowhere.
	Said io.Writer
}

// openingModel is the screen while the counter opens (its ledger, its
// keys, its gateway) alongside the program's own start, so that the
// first frame does not wait for them. It says the kiosk is starting, as a
// till does while it boots, and takes no sale: the messages that come
// meanwhile (the terminal's size and colours, keys, a stop) are held, and
// handed in order to the counter's model once it is open, after its
// Init, as if it had been there from the start. From then on it is that
// model.
type openingModel struct {
	first  Opening
	styles *styles
	held   []tea.Msg
	model  tea.Model // nil until the counter is open
	failed bool      // the counter could not open: the program ends, drawing nothing
}

// openedMsg says the counter is open, as model, or could not open.
type openedMsg struct {
	model Model
	err   error
}

func newOpening(first Opening) openingModel {
	if first.Words == nil {
		first.Words = words.English
	}
	return openingModel{first: first, styles: defaultStyles()}
}

func (o openingModel) Init() tea.Cmd { return nil }

func (o openingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if o.model != nil {
		var cmd tea.Cmd
		o.model, cmd = o.model.Update(msg)
		return o, cmd
	}
	opened, ok := msg.(openedMsg)
	if !ok {
		o.held = append(o.held, msg)
		return o, nil
	}
	if opened.err != nil {
		o.failed = true
		return o, tea.Quit
	}
	var model tea.Model = opened.model
	cmds := []tea.Cmd{model.Init()}
	for _, msg := range o.held {
		var cmd tea.Cmd
		model, cmd = model.Update(msg)
		cmds = append(cmds, cmd)
	}
	o.model, o.held = model, nil
	return o, tea.Batch(cmds...)
}

func (o openingModel) View() tea.View {
	if o.model != nil {
		return o.model.View()
	}
	if o.failed {
		return tea.NewView("") // the reason is said on the command line, the screen left as it was
	}
	title := o.styles.title.Render(o.first.Words.Sale.Title)
	if o.first.ShopName != "" {
		title += o.styles.muted.Render(o.first.Words.Punct.Parts + o.first.ShopName)
	}
	body := o.styles.muted.Render(o.first.Words.Sale.Opening)
	v := tea.NewView(o.styles.app.Render(lipgloss.JoinVertical(lipgloss.Left, title, "", body)))
	v.AltScreen = true
	v.WindowTitle = o.first.Words.Sale.WindowTitle
	return v
}

// RunOpening is Run for a counter that open opens, in its own goroutine,
// while the program starts: the screen says the kiosk is starting until it
// is open. If open fails the program ends and RunOpening returns open's
// error. RunOpening returns only once open has returned, so that what it
// opened can be closed; a panic in open is raised again once the terminal
// is restored.
func RunOpening(first Opening, open func() (Model, error), forceExit func()) error {
	keys, err := terminalKeys()
	if err != nil {
		return err
	}
	p := NewProgram(newOpening(first), os.Stdout, keys, tea.WithoutSignalHandler())
	go warmWidths()
	var panicked any
	opened := openBeside(p, open, &panicked)
	final, err := run(p, forceExit)
	sayAfterwards(first.Said, final)
	openErr := <-opened
	if panicked != nil {
		panic(panicked)
	}
	if openErr != nil {
		return openErr
	}
	return err
}

// sayAfterwards writes what the model's last screen leaves to say, on a
// line of its own, to w.
func sayAfterwards(w io.Writer, final tea.Model) {
	o, ok := final.(openingModel)
	if !ok || w == nil {
		return
	}
	if m, ok := o.model.(Model); ok && m.afterword() != "" {
		fmt.Fprintln(w, "kiosk:", m.afterword())
	}
}

// openBeside runs open in its own goroutine and sends p what it opened;
// the channel gets open's error once open has returned. A panic in open
// is kept in panicked, with its stack, and ends the program.
func openBeside(p interface{ Send(tea.Msg) }, open func() (Model, error), panicked *any) <-chan error {
	opened := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				*panicked = fmt.Sprintf("%v\n\n%s", r, debug.Stack())
				opened <- errOpenPanicked
				p.Send(openedMsg{err: errOpenPanicked})
			}
		}()
		m, err := open()
		opened <- err
		p.Send(openedMsg{model: m, err: err})
	}()
	return opened
}

// warmWidths has go-runewidth build its table of character widths, which
// the screen's renderer (ultraviolet's, draw.go) reads to place every
// character above U+007E on the screen. Since v0.0.30 the table (2 × 1.1 MB) is built at the first
// character above U+02FF, and every kiosk screen has one (… and the
// fields' borders; Chinese): built here, beside the program's start and
// the counter's opening, it is no longer built inside the first frame,
// which it delayed by 1.5 to 6 ms.
func warmWidths() { ansi.StringWidthWc(lutBuilder) }

// lutBuilder is a character go-runewidth finds in its lazy table, above
// U+02FF.
const lutBuilder = "…"

// errOpenPanicked ends the program when open panicked; the panic itself
// is raised again, so no one reads this.
var errOpenPanicked = errors.New("opening the counter panicked")
