package pos

// What a person is told of an error or a note of pos's comes from ui's
// catalogue (ui/words), which pos may not import. pos's external test
// package may: it lends these tests its words (words_test.go), so that
// they assert the very sentences the screens show.
var (
	describe func(error) string
	noteText func(Note) string
)

// SpeakWith gives the tests of package pos the words they check.
func SpeakWith(explain func(error) string, note func(Note) string) {
	describe, noteText = explain, note
}
