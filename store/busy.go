package store

import berrors "go.etcd.io/bbolt/errors"

// ErrBusy is wrapped when ledger.db stayed locked by another process (a
// manager's tool reading it, a backup) for longer than Options.Timeout: the
// ledger is sound, only busy. It is bbolt's own timeout error.
var ErrBusy = berrors.ErrTimeout
