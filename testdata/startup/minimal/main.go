// Command minimal is the smallest Bubble Tea v2 program that draws a
// screen as the kiosk does (in the alternate screen), the floor of the
// kiosk's start → first frame benchmark (bench_process_linux_test.go).
// -fps sets the renderer's frame rate, 0 for Bubble Tea's default.
package main

import (
	"flag"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() tea.View {
	v := tea.NewView("Hello from a minimal Bubble Tea program.")
	v.AltScreen = true
	return v
}

func main() {
	fps := flag.Int("fps", 0, "frames per second, 0 for the default")
	flag.Parse()
	var opts []tea.ProgramOption
	if *fps > 0 {
		opts = append(opts, tea.WithFPS(*fps))
	}
	if _, err := tea.NewProgram(model{}, opts...).Run(); err != nil {
		os.Exit(1)
	}
}
