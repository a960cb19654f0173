package words

import "kiosk/pos"

// Yuan is an amount of money in fen, as people read it: "¥12.34". It is
// the type of every blank in the catalogue that holds money.
type Yuan int64

// String writes the amount with the yuan sign, "¥12.34".
func (y Yuan) String() string { return "¥" + Amount(int64(y)) }

// Amount writes fen as yuan with two decimals and no sign of the currency,
// "12.34", as an amount field, a CSV cell or a JSON value holds it.
func Amount(fen int64) string { return pos.FormatAmount(fen) }

// Big writes the amount for the block font of the amount on screen, a
// space after the sign: "¥ 12.34".
func (y Yuan) Big() string { return "¥ " + Amount(int64(y)) }

// Fen is an amount of money in fen, written as yuan with two decimals and
// no sign of the currency, "12.34", where a sentence quotes a figure.
type Fen int64

// String writes the amount, "12.34".
func (f Fen) String() string { return Amount(int64(f)) }
