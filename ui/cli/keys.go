package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"kiosk/pos"
)

// KeysGen makes the app's key pair in dir and says where its public key
// goes in Alipay's console and what to add to the config. It refuses, as
// a usage error, to write over a key.
func KeysGen(w io.Writer, dir string) error {
	if dir == "" {
		return UsageText(say.System.KeysNeedDir, nil)
	}
	dir, err := filepath.Abs(dir) // the config names them relative to itself, so say where they are
	if err != nil {
		return err
	}
	k, err := pos.GenerateAppKeys(dir)
	var exist *pos.KeysExistError
	if errors.As(err, &exist) {
		return UsageText(say.System.KeysExist.F(strings.Join(exist.Paths, say.Punct.List)), err)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(w, keysWritten(k, dir))
	return nil
}
