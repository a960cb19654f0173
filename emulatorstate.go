package main

import (
	"errors"

	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// emulatorStateTrouble words the emulator's refusal of its state file
// (an *emulator.StateError in err) from its facts: which file, the line
// of its journal, and what is wrong, the JSON's fault from the decoder's
// typed errors; other errors pass unchanged. The file is the user's to
// fix, and err stays in the chain.
func emulatorStateTrouble(err error) error {
	se, ok := errors.AsType[*emulator.StateError](err)
	if !ok {
		return err
	}
	sw := &say.System
	var what string
	switch se.Problem {
	case emulator.StateJSON:
		if why, ok := say.DecodeText(pos.JSONFaultOf(se.Err, se.Size)); ok {
			what = why
		} else {
			what = say.SystemReason(se.Err) // of no kind known: the decoder's text, quoted
		}
	case emulator.StateTrailing:
		what = sw.EmulatorStateTrailing
	case emulator.StateVersion:
		what = sw.EmulatorStateVersion.F(se.Version, emulator.StateFileVersion)
	case emulator.StateTrade:
		what = sw.EmulatorStateTrade.F(se.OutTradeNo)
	case emulator.StateTwice:
		what = sw.EmulatorStateTwice.F(se.OutTradeNo)
	case emulator.StateUnknown:
		what = sw.EmulatorStateUnknown.F(se.Field)
	case emulator.StateCode:
		what = sw.EmulatorStateCode.F(se.Code)
		if se.Code == "" {
			what = sw.EmulatorStateNoCode
		}
	default:
		what = say.SystemReason(err)
	}
	if se.Line > 0 {
		what = sw.EmulatorStateLine.F(se.Line, what)
	}
	return cli.UsageText(sw.EmulatorState.F(se.Path, what), err)
}
