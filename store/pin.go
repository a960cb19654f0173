package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
)

// argonParams are the argon2id parameters of a PIN hash. They are stored
// with the hash, so a PIN set under older parameters still verifies.
type argonParams struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32 // bytes of hash
}

// pinParams are the parameters of new PIN hashes: argon2id with one pass
// over 64 MiB on two lanes, RFC 9106's memory-hard choice scaled to a
// two-core kiosk. On the development machine (2 cores) one verification
// takes 40 to 70 ms, which a manager does not notice. Tests replace them
// with cheap ones.
//
// A 4-digit PIN has 10,000 values, which no hash can protect from someone
// who has copied the ledger: at this cost they are all tried in minutes.
// The hash keeps the PIN out of the file and its backups for a casual
// reader; what protects it at the kiosk is the lockout after pinMaxTries.
var pinParams = defaultPINParams

var defaultPINParams = argonParams{Time: 1, Memory: 64 * 1024, Threads: 2, KeyLen: 32}

const (
	pinSaltLen  = 16
	pinMinLen   = 6
	pinMaxLen   = 12
	pinMaxTries = 5               // wrong PINs in a row before the lock
	pinLockout  = 5 * time.Minute // how long the lock lasts
)

// Keys in the settings bucket.
var (
	keyPINHash  = []byte("manager_pin")       // PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash
	keyPINTries = []byte("manager_pin_tries") // pinTries as JSON
)

// pinTries counts wrong PINs. It lives in the ledger, so restarting the
// kiosk does not grant fresh tries.
type pinTries struct {
	Failures    int       `json:"failures"`              // wrong PINs in a row
	LockedUntil time.Time `json:"locked_until,omitzero"` // set on the last allowed failure
}

// SetManagerPIN replaces the manager PIN, which must be 6 to 12 digits and
// not trivial (a *PINShapeError, matching ErrWeakPIN, otherwise), and
// clears any count of wrong tries and any lock.
// Only an argon2id hash of the PIN, with a random salt and its parameters,
// is stored. A read-only Store yields ErrReadOnly.
func (s *Store) SetManagerPIN(pin string) error { return s.setPIN(pin, false) }

// SetFirstManagerPIN sets the manager PIN as SetManagerPIN does, but only
// while none is set: once one is, it yields ErrPINSet and changes nothing,
// so that a PIN is changed only by someone who knows it.
func (s *Store) SetFirstManagerPIN(pin string) error { return s.setPIN(pin, true) }

func (s *Store) setPIN(pin string, first bool) error {
	if err := checkPIN(pin); err != nil {
		return err
	}
	if s.readOnly {
		return fmt.Errorf("set manager PIN: %w", ErrReadOnly)
	}
	phc, err := hashPIN(pin, pinParams)
	if err != nil {
		return fmt.Errorf("set manager PIN: %w", err)
	}
	s.pinMu.Lock()
	defer s.pinMu.Unlock()
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if first && b.Get(keyPINHash) != nil {
			return ErrPINSet
		}
		if err := b.Put(keyPINHash, []byte(phc)); err != nil {
			return err
		}
		return b.Delete(keyPINTries)
	})
	if err != nil {
		return fmt.Errorf("set manager PIN: %w", err)
	}
	return nil
}

// HasManagerPIN reports whether a manager PIN is set. It only reads.
func (s *Store) HasManagerPIN() (bool, error) {
	set := false
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSettings); b != nil {
			set = b.Get(keyPINHash) != nil
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read manager PIN: %w", err)
	}
	return set, nil
}

// CheckManagerPIN reports whether pin is the manager PIN, as of now (zero
// meaning the Store's clock). It returns nil for the right PIN and resets
// the count of wrong tries; ErrNoPIN when none is set; ErrWrongPIN, saying
// how many tries are left, for a wrong one. The fifth wrong PIN in a row
// locks the PIN for five minutes (the error matches ErrWrongPIN and
// ErrPINLocked); until then every PIN, right or wrong, yields ErrPINLocked
// with the time left and is not checked. Both refusals are a *PINError,
// which holds the tries left and the end of the lock. The count and the lock are kept
// in the ledger, so the method writes: a read-only Store yields
// ErrReadOnly.
func (s *Store) CheckManagerPIN(pin string, now time.Time) error {
	if s.readOnly {
		return fmt.Errorf("check manager PIN: %w", ErrReadOnly)
	}
	if now.IsZero() {
		now = s.now()
	}
	// The hash takes tens of milliseconds: it runs between two short
	// transactions rather than inside one, so readers are not held up, and
	// the mutex keeps another check from slipping in between.
	s.pinMu.Lock()
	defer s.pinMu.Unlock()
	var (
		phc   string
		tries pinTries
	)
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		phc, tries, err = readPIN(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("check manager PIN: %w", err)
	}
	if phc == "" {
		return ErrNoPIN
	}
	after, refusal, err := s.judgePIN(phc, tries, pin, now)
	if err != nil {
		return fmt.Errorf("check manager PIN: %w", err)
	}
	if after != tries {
		if err := s.writeTries(after); err != nil {
			return fmt.Errorf("check manager PIN: %w", err)
		}
	}
	return refusal
}

// ChangeManagerPIN sets pin as the manager PIN in one transaction that
// compares and sets: the first PIN if none is set; otherwise, only if old
// is the PIN set at that moment, checked as CheckManagerPIN checks it (a
// wrong one counts towards the lock, a locked PIN is not checked). An
// empty old means the caller saw no PIN set: if one is set by then (by a
// tool beside the kiosk) it yields ErrPINSet, counting no try and
// changing nothing. So a PIN set or changed by another process between
// the caller's look and its save is never overwritten unseen. A weak pin
// is a *PINShapeError, refused before anything is read.
func (s *Store) ChangeManagerPIN(old, pin string, now time.Time) error {
	if err := checkPIN(pin); err != nil {
		return err
	}
	if s.readOnly {
		return fmt.Errorf("change manager PIN: %w", ErrReadOnly)
	}
	if now.IsZero() {
		now = s.now()
	}
	phcNew, err := hashPIN(pin, pinParams)
	if err != nil {
		return fmt.Errorf("change manager PIN: %w", err)
	}
	s.pinMu.Lock()
	defer s.pinMu.Unlock()
	// The current PIN is checked inside the transaction, hash and all
	// (tens of milliseconds, once per change), so that no other process
	// can change it between the check and the save.
	var refusal error
	err = s.update(func(tx *bolt.Tx) error {
		phc, tries, err := readPIN(tx)
		switch {
		case err != nil:
			return err
		case phc != "" && old == "":
			return ErrPINSet
		case phc != "":
			var after pinTries
			if after, refusal, err = s.judgePIN(phc, tries, old, now); err != nil {
				return err
			}
			if refusal != nil {
				return putTries(tx, after)
			}
		}
		b := tx.Bucket(bucketSettings)
		if err := b.Put(keyPINHash, []byte(phcNew)); err != nil {
			return err
		}
		return b.Delete(keyPINTries)
	})
	if err != nil {
		return fmt.Errorf("change manager PIN: %w", err)
	}
	return refusal
}

// judgePIN is what trying pin against the stored hash phc comes to at
// now, with the wrong tries so far: the tries to store, and the refusal
// (nil for the right PIN). err is a stored hash that cannot be read.
func (s *Store) judgePIN(phc string, tries pinTries, pin string, now time.Time) (after pinTries, refusal, err error) {
	if !tries.LockedUntil.IsZero() {
		if now.Before(tries.LockedUntil) {
			// A clock set back must not stretch the lock beyond its length.
			if tries.LockedUntil.Sub(now) > pinLockout {
				tries.LockedUntil = now.Add(pinLockout)
			}
			return tries, s.lockedError(tries.LockedUntil, now), nil
		}
		tries = pinTries{} // the lock has run out: a fresh set of tries
	}
	ok, err := verifyPIN(phc, pin)
	if err != nil {
		return tries, nil, fmt.Errorf("stored hash: %w", err)
	}
	switch {
	case ok:
		return pinTries{}, nil, nil
	case tries.Failures+1 >= pinMaxTries:
		tries = pinTries{Failures: pinMaxTries, LockedUntil: now.Add(pinLockout)}
		return tries, &PINError{Wrong: true, Locked: true, LockFor: pinLockout, Until: tries.LockedUntil.In(s.loc)}, nil
	}
	tries.Failures++
	return tries, &PINError{Wrong: true, TriesLeft: pinMaxTries - tries.Failures, LockFor: pinLockout}, nil
}

func (s *Store) lockedError(until, now time.Time) error {
	left := max(until.Sub(now).Round(time.Second), time.Second)
	return &PINError{Locked: true, Tries: pinMaxTries, LockFor: pinLockout, Until: until.In(s.loc), Left: left}
}

func (s *Store) writeTries(t pinTries) error {
	return s.update(func(tx *bolt.Tx) error { return putTries(tx, t) })
}

// putTries stores the count of wrong tries t in tx; none deletes it.
func putTries(tx *bolt.Tx, t pinTries) error {
	b := tx.Bucket(bucketSettings)
	if t == (pinTries{}) {
		return b.Delete(keyPINTries)
	}
	v, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return b.Put(keyPINTries, v)
}

func readPIN(tx *bolt.Tx) (string, pinTries, error) {
	var t pinTries
	b := tx.Bucket(bucketSettings)
	if b == nil {
		return "", t, nil
	}
	if v := b.Get(keyPINTries); v != nil {
		if err := json.Unmarshal(v, &t); err != nil {
			return "", t, undecodable(tx.DB().Path(), bucketSettings, string(keyPINTries), v, err)
		}
	}
	return string(b.Get(keyPINHash)), t, nil
}

// PINError is a manager PIN refused: a wrong one, with the tries left
// before the lock, or any PIN while the lock lasts, with when it ends.
// It matches ErrWrongPIN when the PIN was checked and wrong, and
// ErrPINLocked when the PIN is locked (the last wrong try matches both).
type PINError struct {
	Wrong     bool          // the PIN was checked and is wrong
	TriesLeft int           // wrong tries left before the lock; 0 once locked
	Locked    bool          // the PIN is locked: by this try, or by earlier ones
	Tries     int           // the wrong tries that locked it (a lock met, not made)
	LockFor   time.Duration // how long a lock lasts
	Until     time.Time     // when the lock ends, in the shop's zone (Locked only)
	Left      time.Duration // how long the lock still lasts (a lock met, not made)
}

func (e *PINError) Error() string {
	switch {
	case e.Wrong && e.Locked:
		return fmt.Sprintf("%v: no tries left; the PIN is locked for %s, until %s",
			ErrWrongPIN, spoken(e.LockFor), e.Until.Format(time.TimeOnly))
	case e.Locked:
		return fmt.Sprintf("%v after %d wrong tries: try again in %s, at %s",
			ErrPINLocked, e.Tries, spoken(e.Left), e.Until.Format(time.TimeOnly))
	}
	return fmt.Sprintf("%v: %d %s left before the PIN locks for %s",
		ErrWrongPIN, e.TriesLeft, plural(e.TriesLeft, "try", "tries"), spoken(e.LockFor))
}

// Unwrap makes errors.Is find ErrWrongPIN and ErrPINLocked as they apply.
func (e *PINError) Unwrap() []error {
	var is []error
	if e.Wrong {
		is = append(is, ErrWrongPIN)
	}
	if e.Locked {
		is = append(is, ErrPINLocked)
	}
	return is
}

// PINShapeError is a new manager PIN that is not 6 to 12 digits, or is
// trivial: one digit over and over, or a run up or down (123456, 987654,
// 890123). It matches ErrWeakPIN.
type PINShapeError struct {
	Length    int  // the length of the PIN given
	NotDigits bool // it holds something other than digits
	Trivial   bool // its digits are all the same, or a run
	Min, Max  int  // the lengths a PIN may have
}

func (e *PINShapeError) Error() string {
	if e.Trivial {
		return fmt.Sprintf("%v: a manager PIN may not be one digit repeated or a run of digits", ErrWeakPIN)
	}
	if e.NotDigits {
		return fmt.Sprintf("%v: a manager PIN is %d to %d digits and nothing else", ErrWeakPIN, e.Min, e.Max)
	}
	return fmt.Sprintf("%v: a manager PIN is %d to %d digits; this one has %d", ErrWeakPIN, e.Min, e.Max, e.Length)
}

// Unwrap makes errors.Is(err, ErrWeakPIN) true.
func (e *PINShapeError) Unwrap() error { return ErrWeakPIN }

// CheckPINShape reports whether pin could be a manager PIN (6–12 digits,
// not trivial),
// so a tool can say so before asking for it a second time.
func CheckPINShape(pin string) error { return checkPIN(pin) }

func checkPIN(pin string) error {
	n := len(pin)
	if n < pinMinLen || n > pinMaxLen {
		return &PINShapeError{Length: n, Min: pinMinLen, Max: pinMaxLen}
	}
	for _, c := range []byte(pin) {
		if c < '0' || c > '9' {
			return &PINShapeError{Length: n, NotDigits: true, Min: pinMinLen, Max: pinMaxLen}
		}
	}
	if trivialPIN(pin) {
		return &PINShapeError{Length: n, Trivial: true, Min: pinMinLen, Max: pinMaxLen}
	}
	return nil
}

// trivialPIN reports whether the digits of pin all step by the same 0, +1
// or -1 (9 then 0 counts as +1): 000000, 123456, 654321, 890123. These are
// the PINs tried first.
func trivialPIN(pin string) bool {
	for _, step := range []int{0, 1, 9} { // 9 is -1 modulo 10
		run := true
		for i := 1; i < len(pin) && run; i++ {
			run = (int(pin[i-1]-'0')+step)%10 == int(pin[i]-'0')
		}
		if run {
			return true
		}
	}
	return false
}

// spoken writes a duration the way a person says it: "5 minutes",
// "4 min 12 s", "40 s".
func spoken(d time.Duration) string {
	d = d.Round(time.Second)
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", s)
	case s == 0:
		return fmt.Sprintf("%d %s", m, plural(m, "minute", "minutes"))
	}
	return fmt.Sprintf("%d min %d s", m, s)
}

// hashPIN returns the PIN's argon2id hash with a fresh salt, as a PHC string.
func hashPIN(pin string, p argonParams) (string, error) {
	salt := make([]byte, pinSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	hash := argon2.IDKey([]byte(pin), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(hash)), nil
}

// verifyPIN hashes pin with the salt and parameters of phc and compares the
// result with phc's hash in constant time.
func verifyPIN(phc, pin string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, fmt.Errorf("not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2 version %q, want v=%d", parts[2], argon2.Version)
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("parameters %q: %w", parts[3], err)
	}
	// Bounds keep a damaged or planted record from costing gigabytes.
	if p.Time < 1 || p.Time > 16 || p.Memory < 8 || p.Memory > 1<<20 || p.Threads < 1 || p.Threads > 64 {
		return false, fmt.Errorf("parameters %q out of bounds", parts[3])
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, fmt.Errorf("bad salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, fmt.Errorf("bad hash")
	}
	got := argon2.IDKey([]byte(pin), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
