package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"kiosk/pos"
)

// KeysGen makes the app's key pair in dir and says where its public key
// goes in Alipay's console and what to add to the config. It refuses, as
// a usage error, to write over a key.
func KeysGen(w io.Writer, dir string) error {
	if dir == "" {
		return Usagef("%s", dw().KeysNeedDir)
	}
	dir, err := filepath.Abs(dir) // the config names them relative to itself, so say where they are
	if err != nil {
		return err
	}
	k, err := pos.GenerateAppKeys(dir)
	var exist *pos.KeysExistError
	if errors.As(err, &exist) {
		return Usagef("%s", keysExist(exist.Paths))
	}
	if notDir, ok := errors.AsType[*pos.KeysDirError](err); ok {
		return Usagef("%s", dw().KeysDirIsFile.F(notDir.Dir))
	}
	if err != nil {
		return err
	}
	fmt.Fprint(w, keysWritten(k, dir))
	return nil
}
