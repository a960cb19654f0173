package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles holds every look of the kiosk in one place. It is built once
// and shared by pointer by every copy of a model: nothing changes it
// after defaultStyles.
type styles struct {
	app        lipgloss.Style
	title      lipgloss.Style
	badge      lipgloss.Style
	label      lipgloss.Style
	input      lipgloss.Style
	inputFocus lipgloss.Style
	errorText  lipgloss.Style
	warning    lipgloss.Style
	muted      lipgloss.Style
	help       lipgloss.Style
	amount     lipgloss.Style
	qr         lipgloss.Style
	status     lipgloss.Style
	paid       lipgloss.Style
	bad        lipgloss.Style
	dialog     lipgloss.Style
	barFull    lipgloss.Style
	barEmpty   lipgloss.Style
	heading    lipgloss.Style
	selected   lipgloss.Style
}

var (
	alipayBlue = lipgloss.Color("#1677FF")
	green      = lipgloss.Color("#22A06B")
	red        = lipgloss.Color("#E5484D")
	amber      = lipgloss.Color("#D99A00")
	grey       = lipgloss.Color("#8A8F98")
	white      = lipgloss.Color("#FFFFFF")
	black      = lipgloss.Color("#000000")
)

func defaultStyles() *styles {
	field := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(grey).Padding(0, 1)
	return &styles{
		app:        lipgloss.NewStyle().Padding(0, 1),
		title:      lipgloss.NewStyle().Bold(true).Foreground(alipayBlue),
		badge:      lipgloss.NewStyle().Bold(true).Foreground(black).Background(amber).Padding(0, 1),
		label:      lipgloss.NewStyle().Bold(true),
		input:      field,
		inputFocus: field.BorderForeground(alipayBlue),
		errorText:  lipgloss.NewStyle().Foreground(red).Bold(true),
		warning:    lipgloss.NewStyle().Foreground(amber),
		muted:      lipgloss.NewStyle().Foreground(grey),
		help:       lipgloss.NewStyle().Foreground(grey),
		amount:     lipgloss.NewStyle().Bold(true).Foreground(alipayBlue),
		// The QR code is drawn light-on-dark explicitly, so it scans the same
		// on a dark or a light terminal theme.
		qr:       lipgloss.NewStyle().Foreground(white).Background(black),
		status:   lipgloss.NewStyle().Bold(true),
		paid:     lipgloss.NewStyle().Bold(true).Foreground(green),
		bad:      lipgloss.NewStyle().Bold(true).Foreground(red),
		dialog:   lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(amber).Padding(1, 3),
		barFull:  lipgloss.NewStyle().Foreground(alipayBlue),
		barEmpty: lipgloss.NewStyle().Foreground(grey),
		heading:  lipgloss.NewStyle().Bold(true).Underline(true),
		selected: lipgloss.NewStyle().Bold(true).Foreground(white).Background(alipayBlue),
	}
}

var _ color.Color = alipayBlue
