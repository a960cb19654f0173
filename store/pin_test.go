package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMain makes PIN hashes cheap, so the suite stays fast;
// TestPINRealParameters runs once with the real ones.
func TestMain(m *testing.M) {
	pinParams = argonParams{Time: 1, Memory: 64, Threads: 1, KeyLen: 32}
	os.Exit(m.Run())
}

func mustSetPIN(t *testing.T, s *Store, pin string) {
	t.Helper()
	if err := s.SetManagerPIN(pin); err != nil {
		t.Fatalf("SetManagerPIN: %v", err)
	}
}

func storedPIN(t *testing.T, s *Store) string {
	t.Helper()
	var phc string
	err := s.view(func(tx *bolt.Tx) error {
		phc = string(tx.Bucket(bucketSettings).Get(keyPINHash))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return phc
}

func TestPINWeakRefused(t *testing.T) {
	s := mustOpen(t)
	for _, pin := range []string{"", "123", "2580", "25801", "1234567890123", "12a456", " 123456", "258014\n", "١٢٣٤٥٦", "1234.5"} {
		err := s.SetManagerPIN(pin)
		if !errors.Is(err, ErrWeakPIN) || !strings.Contains(err.Error(), "6 to 12 digits") {
			t.Errorf("SetManagerPIN(%q) = %v, want ErrWeakPIN saying what is allowed", pin, err)
		}
	}
	// Trivial PINs: the ones tried first.
	for _, pin := range []string{"000000", "111111111", "123456", "654321", "890123", "210987", "123456789012"} {
		var se *PINShapeError
		if err := s.SetManagerPIN(pin); !errors.As(err, &se) || !se.Trivial || !errors.Is(err, ErrWeakPIN) {
			t.Errorf("SetManagerPIN(%q) = %v, want a trivial PIN refused", pin, err)
		}
	}
	if set, _ := s.HasManagerPIN(); set {
		t.Error("a weak PIN was stored")
	}
	for _, pin := range []string{"258014", "112233", "123457", "024680", "193728465012"} {
		mustSetPIN(t, s, pin)
	}
}

// TestFirstPINOnlyOnce: SetFirstManagerPIN sets a PIN while none is set,
// and refuses to replace one.
func TestFirstPINOnlyOnce(t *testing.T) {
	s := mustOpen(t)
	if err := s.SetFirstManagerPIN("258014"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFirstManagerPIN("369025"); !errors.Is(err, ErrPINSet) {
		t.Errorf("a second first PIN: %v, want ErrPINSet", err)
	}
	if err := s.CheckManagerPIN("258014", time.Time{}); err != nil {
		t.Errorf("the first PIN was replaced: %v", err)
	}
}

func TestPINRightAndWrong(t *testing.T) {
	s := mustOpen(t)
	now := at(17, 12, 0, 0)
	if err := s.CheckManagerPIN("1234", now); !errors.Is(err, ErrNoPIN) {
		t.Errorf("check without a PIN = %v, want ErrNoPIN", err)
	}
	mustSetPIN(t, s, "258014")
	if set, err := s.HasManagerPIN(); !set || err != nil {
		t.Errorf("HasManagerPIN = %v, %v", set, err)
	}
	if err := s.CheckManagerPIN("258014", now); err != nil {
		t.Errorf("right PIN = %v", err)
	}
	err := s.CheckManagerPIN("258015", now)
	if !errors.Is(err, ErrWrongPIN) || errors.Is(err, ErrPINLocked) || !strings.Contains(err.Error(), "4 tries left") {
		t.Errorf("wrong PIN = %v, want ErrWrongPIN with 4 tries left", err)
	}
	// A right PIN resets the count: four more wrong ones do not lock.
	if err := s.CheckManagerPIN("258014", now); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		err = s.CheckManagerPIN("0000", now)
		if !errors.Is(err, ErrWrongPIN) || errors.Is(err, ErrPINLocked) {
			t.Fatalf("wrong PIN %d = %v", i+1, err)
		}
	}
	if !strings.Contains(err.Error(), "1 try left") {
		t.Errorf("fourth wrong PIN = %v, want 1 try left", err)
	}
	if err := s.CheckManagerPIN("258014", now); err != nil {
		t.Errorf("right PIN after four wrong ones = %v", err)
	}
	// A new PIN replaces the old one.
	mustSetPIN(t, s, "975318")
	if err := s.CheckManagerPIN("258014", now); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("old PIN = %v, want ErrWrongPIN", err)
	}
	if err := s.CheckManagerPIN("975318", now); err != nil {
		t.Errorf("new PIN = %v", err)
	}
}

func TestPINLockout(t *testing.T) {
	s := mustOpen(t)
	mustSetPIN(t, s, "258014")
	t0 := at(17, 12, 0, 0)
	for i := range 5 {
		err := s.CheckManagerPIN("1111", t0.Add(time.Duration(i)*time.Second))
		if !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("wrong PIN %d = %v", i+1, err)
		}
		if last := i == 4; errors.Is(err, ErrPINLocked) != last {
			t.Fatalf("wrong PIN %d = %v; only the fifth locks", i+1, err)
		}
	}
	lockedAt := t0.Add(4 * time.Second)
	// Locked: even the right PIN is refused, with the time left.
	err := s.CheckManagerPIN("258014", lockedAt.Add(time.Minute))
	if !errors.Is(err, ErrPINLocked) || errors.Is(err, ErrWrongPIN) || !strings.Contains(err.Error(), "try again in 4 minutes, at 12:05:04") {
		t.Errorf("right PIN while locked = %v", err)
	}
	err = s.CheckManagerPIN("258014", lockedAt.Add(5*time.Minute-time.Second))
	if !errors.Is(err, ErrPINLocked) || !strings.Contains(err.Error(), "in 1 s,") {
		t.Errorf("a second before the end = %v", err)
	}
	// The lock runs out: a fresh set of tries, and the right PIN works.
	after := lockedAt.Add(5 * time.Minute)
	if err := s.CheckManagerPIN("1111", after); !errors.Is(err, ErrWrongPIN) || !strings.Contains(err.Error(), "4 tries left") {
		t.Errorf("wrong PIN after the lock = %v, want 4 tries left", err)
	}
	if err := s.CheckManagerPIN("258014", after); err != nil {
		t.Errorf("right PIN after the lock = %v", err)
	}
}

func TestPINLockSurvivesRestartAndClockChanges(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustSetPIN(t, s, "258014")
	t0 := at(17, 12, 0, 0)
	for range 3 {
		_ = s.CheckManagerPIN("1111", t0)
	}
	_ = s.Close()

	// A restart does not reset the count...
	s = mustOpenDir(t, dir, Options{})
	if err := s.CheckManagerPIN("1111", t0); !strings.Contains(err.Error(), "1 try left") {
		t.Fatalf("after restart = %v, want 1 try left", err)
	}
	if err := s.CheckManagerPIN("1111", t0); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("fifth wrong PIN = %v", err)
	}
	_ = s.Close()

	// ...nor the lock.
	s = mustOpenDir(t, dir, Options{})
	if err := s.CheckManagerPIN("258014", t0.Add(time.Minute)); !errors.Is(err, ErrPINLocked) {
		t.Errorf("after restart while locked = %v", err)
	}
	// A clock set back an hour does not make the lock last an hour longer.
	back := t0.Add(-time.Hour)
	if err := s.CheckManagerPIN("258014", back); !errors.Is(err, ErrPINLocked) || !strings.Contains(err.Error(), "in 5 minutes,") {
		t.Errorf("clock set back = %v", err)
	}
	if err := s.CheckManagerPIN("258014", back.Add(5*time.Minute)); err != nil {
		t.Errorf("five minutes after the clock was set back = %v", err)
	}
	// SetManagerPIN clears a lock.
	for range 5 {
		_ = s.CheckManagerPIN("1111", t0)
	}
	mustSetPIN(t, s, "258014")
	if err := s.CheckManagerPIN("258014", t0); err != nil {
		t.Errorf("after a new PIN = %v", err)
	}
}

func TestPINStoredOnlyAsHash(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	const pin = "80417263"
	mustSetPIN(t, s, pin)
	_ = s.CheckManagerPIN("11111111", time.Time{})
	first := storedPIN(t, s)
	if !strings.HasPrefix(first, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Count(first, "$") != 5 {
		t.Errorf("stored %q, want a PHC argon2id string with its parameters", first)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(pin)) {
		t.Error("ledger.db contains the PIN")
	}
	// A fresh salt each time: the same PIN never hashes the same twice.
	mustSetPIN(t, s, pin)
	if second := storedPIN(t, s); second == first {
		t.Error("setting the same PIN twice stored the same hash")
	}
	if err := s.CheckManagerPIN(pin, time.Time{}); err != nil {
		t.Errorf("right PIN = %v", err)
	}
}

func TestPINReadOnly(t *testing.T) {
	dir := t.TempDir()
	mustSetPIN(t, mustOpenDir(t, dir, Options{}), "258014")
	s := mustOpenDir(t, dir, Options{ReadOnly: true})
	if err := s.SetManagerPIN("258036"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetManagerPIN read-only = %v, want ErrReadOnly", err)
	}
	// Checking writes the count of tries, so a read-only Store cannot.
	if err := s.CheckManagerPIN("258014", time.Time{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("CheckManagerPIN read-only = %v, want ErrReadOnly", err)
	}
	if set, err := s.HasManagerPIN(); !set || err != nil {
		t.Errorf("HasManagerPIN read-only = %v, %v", set, err)
	}
}

func TestPINDamagedRecord(t *testing.T) {
	s := mustOpen(t)
	for _, phc := range []string{
		"plain-1234",
		"$argon2id$v=19$m=4194304,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA", // 4 GiB
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
	} {
		err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Put(keyPINHash, []byte(phc)) })
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CheckManagerPIN("1234", time.Time{}); err == nil || errors.Is(err, ErrWrongPIN) {
			t.Errorf("damaged record %q: %v, want an error that is not a wrong PIN", phc, err)
		}
	}
}

// TestPINRealParameters sets and checks a PIN with the parameters the kiosk
// uses, and reports how long a check takes.
func TestPINRealParameters(t *testing.T) {
	pinParams = defaultPINParams
	t.Cleanup(func() { pinParams = argonParams{Time: 1, Memory: 64, Threads: 1, KeyLen: 32} })
	s := mustOpen(t)
	mustSetPIN(t, s, "258014")
	if got := storedPIN(t, s); !strings.HasPrefix(got, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Errorf("stored %q, want m=65536,t=1,p=2", got)
	}
	start := time.Now()
	if err := s.CheckManagerPIN("258014", time.Time{}); err != nil {
		t.Fatal(err)
	}
	right := time.Since(start)
	start = time.Now()
	if err := s.CheckManagerPIN("258015", time.Time{}); !errors.Is(err, ErrWrongPIN) {
		t.Fatal(err)
	}
	t.Logf("CheckManagerPIN with real parameters: right %v, wrong %v", right, time.Since(start))
}

// TestPINErrorsCarryTheirFacts: the refusals say, as fields, how many tries
// are left and when a lock ends, so no caller has to read them out of the
// message.
func TestPINErrorsCarryTheirFacts(t *testing.T) {
	s := mustOpen(t)
	mustSetPIN(t, s, "258014")
	t0 := at(17, 12, 0, 0)
	var pe *PINError
	if err := s.CheckManagerPIN("1111", t0); !errors.As(err, &pe) || !pe.Wrong || pe.Locked || pe.TriesLeft != 4 || pe.LockFor != 5*time.Minute {
		t.Errorf("first wrong PIN = %#v, want wrong with 4 tries left and a 5-minute lock", pe)
	}
	for range 3 {
		_ = s.CheckManagerPIN("1111", t0)
	}
	if err := s.CheckManagerPIN("1111", t0); !errors.As(err, &pe) || !pe.Wrong || !pe.Locked || pe.TriesLeft != 0 ||
		!pe.Until.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("fifth wrong PIN = %#v, want wrong and locked until 12:05", pe)
	}
	if err := s.CheckManagerPIN("258014", t0.Add(time.Minute)); !errors.As(err, &pe) || pe.Wrong || !pe.Locked || pe.Tries != 5 ||
		pe.Left != 4*time.Minute || !pe.Until.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("PIN while locked = %#v, want locked after 5 tries, 4 minutes left", pe)
	}
	var se *PINShapeError
	if err := s.SetManagerPIN("123"); !errors.As(err, &se) || se.Length != 3 || se.NotDigits || se.Min != 6 || se.Max != 12 {
		t.Errorf("short PIN = %#v, want length 3 of 6 to 12", se)
	}
	if err := s.SetManagerPIN("12a456"); !errors.As(err, &se) || !se.NotDigits {
		t.Errorf("PIN with a letter = %#v, want NotDigits", se)
	}
}

// TestChangeManagerPINComparesAndSets: ChangeManagerPIN sets the first
// PIN, refuses a second "first" one (ErrPINSet) without counting a try,
// changes the PIN only for the PIN set now, counting a wrong one, and
// changes nothing while the PIN is locked.
func TestChangeManagerPINComparesAndSets(t *testing.T) {
	s := mustOpen(t)
	t0 := at(17, 12, 0, 0)
	if err := s.ChangeManagerPIN("", "258014", t0); err != nil {
		t.Fatalf("the first PIN: %v", err)
	}
	if err := s.ChangeManagerPIN("", "369025", t0); !errors.Is(err, ErrPINSet) {
		t.Errorf("a first PIN once one is set = %v, want ErrPINSet", err)
	}
	if err := s.ChangeManagerPIN("135790", "369025", t0); !errors.Is(err, ErrWrongPIN) || !strings.Contains(err.Error(), "4 tries left") {
		t.Errorf("a change with a wrong PIN = %v, want the first wrong try", err)
	}
	var se *PINShapeError
	if err := s.ChangeManagerPIN("258014", "123456", t0); !errors.As(err, &se) {
		t.Errorf("a weak new PIN = %v", err)
	}
	if err := s.ChangeManagerPIN("258014", "369025", t0); err != nil {
		t.Fatalf("the change: %v", err)
	}
	if err := s.CheckManagerPIN("1111", t0); !strings.Contains(fmt.Sprint(err), "4 tries left") {
		t.Errorf("after the change, a wrong PIN = %v; want the tries cleared by the change", err)
	}
	for range 4 {
		s.CheckManagerPIN("1111", t0)
	}
	if err := s.ChangeManagerPIN("369025", "470136", t0.Add(time.Minute)); !errors.Is(err, ErrPINLocked) {
		t.Errorf("a change while locked = %v, want ErrPINLocked", err)
	}
	if err := s.CheckManagerPIN("369025", t0.Add(pinLockout)); err != nil {
		t.Errorf("after the lock, the PIN before the refused change: %v", err)
	}
}
