// Command glamour is the smallest Bubble Tea program that also renders one
// step of the guide with glamour, the way the wizard does (steps.Render: the
// "dark" standard style, wrapped to the window): the second yardstick
// BenchmarkStartup compares lattice-link's start with. It pays for what any
// Bubble Tea program that renders markdown with glamour pays: glamour's
// packages' init (chroma's lexers and styles, goldmark, bluemonday) and one
// render, but none of the wizard.
package main

import (
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/steps"
)

const help = "press any key to quit"

type model struct{ frame string }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// Rendered once the width is known, as the wizard does.
		lines := strings.Split(steps.Render(steps.Prerequisites, msg.Width, "dark"), "\n")
		lines = lines[:min(len(lines), max(msg.Height-2, 0))]
		m.frame = strings.Join(lines, "\n") + "\n\n" + help
	case tea.KeyPressMsg:
		return m, tea.Quit
	}
	return m, nil
}

func (m model) View() tea.View {
	v := tea.NewView(m.frame)
	v.AltScreen = true
	return v
}

func main() {
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
