package pos_test

import (
	"kiosk/pos"
	"kiosk/ui/words"
)

func init() { pos.SpeakWith(words.English.Explain, words.English.NoteText) }
