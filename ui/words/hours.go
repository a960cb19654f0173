package words

import "fmt"

// HourSpan names an hour of the day by its span, "18:00–19:00", with an
// en dash between the two times, as every screen and CLI table writes a
// band of time.
func HourSpan(h int) string { return fmt.Sprintf("%02d:00–%02d:00", h, (h+1)%24) }
