package words

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestEveryLanguageSaysEverything: every catalogue has every sentence,
// each blank filled with a value of its type prints without a verb
// error, and no blank is left out; a Count has its singular where the
// language has one; an advice map has the same codes as English's. A
// missing translation fails here, so no screen falls back to English.
func TestEveryLanguageSaysEverything(t *testing.T) {
	for _, w := range All {
		t.Run(w.Lang.Tag, func(t *testing.T) {
			if w.Lang.Tag == "" {
				t.Fatal("no language tag")
			}
			walk(t, w, reflect.ValueOf(w).Elem(), "Words")
		})
	}
}

var (
	countType = reflect.TypeOf(Count{})
	langType  = reflect.TypeOf(Lang{})
)

// walk checks every sentence in v, a part of w named path.
func walk(t *testing.T, w *Words, v reflect.Value, path string) {
	t.Helper()
	switch {
	case v.Type() == langType:
		return
	case path == "Words.Punct.Sentences":
		return // may be empty: Chinese runs sentences together
	case v.Kind() == reflect.String:
		checkSentence(t, v, path)
	case v.Kind() == reflect.Struct && v.Type().NumField() == 2 && v.Type().Field(0).Name == "One":
		checkCount(t, w, v, path)
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			walk(t, w, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case v.Kind() == reflect.Array:
		for i := range v.Len() {
			walk(t, w, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case v.Kind() == reflect.Map:
		checkMap(t, w, v, path)
	default:
		t.Errorf("%s: a %s, which the test cannot check", path, v.Kind())
	}
}

// checkSentence checks a plain string or a sentence with blanks (an F1 to
// F6): it is not empty, and filled with distinct values it shows each
// of them and no verb error.
func checkSentence(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	if v.String() == "" {
		t.Errorf("%s is empty", path)
		return
	}
	f := v.MethodByName("F")
	if !f.IsValid() {
		return // a plain string
	}
	args, shown := samples(f.Type(), 0)
	out := f.Call(args)[0].String()
	checkFilled(t, path, out, shown)
}

// checkCount checks both forms of a Count or a Count1.
func checkCount(t *testing.T, w *Words, v reflect.Value, path string) {
	t.Helper()
	one, other := v.Field(0).String(), v.Field(1).String()
	switch {
	case other == "":
		t.Errorf("%s.Other is empty", path)
		return
	case w.Lang.Singular && one == "":
		t.Errorf("%s.One is empty, and %s has a singular", path, w.Lang.Tag)
	case !w.Lang.Singular && one != "":
		t.Errorf("%s.One is set, and %s has no singular", path, w.Lang.Tag)
	}
	f := v.MethodByName("F")
	for _, n := range []int{1, 7} {
		args, shown := samples(f.Type(), 1)
		args[0] = reflect.ValueOf(n)
		checkFilled(t, fmt.Sprintf("%s(%d)", path, n), f.Call(args)[0].String(), append(shown, fmt.Sprint(n)))
	}
	_ = countType
}

// checkMap checks a map of sentences: the keys of English's, and every
// value.
func checkMap(t *testing.T, w *Words, v reflect.Value, path string) {
	t.Helper()
	english := reflect.ValueOf(*English) // the map at the same path in English
	for _, field := range strings.Split(path, ".")[1:] {
		english = english.FieldByName(field)
	}
	if v.Len() != english.Len() {
		t.Errorf("%s has %d entries, English %d", path, v.Len(), english.Len())
	}
	for _, key := range english.MapKeys() {
		code := key.String()
		e := v.MapIndex(key)
		if !e.IsValid() {
			t.Errorf("%s lacks %q", path, code)
			continue
		}
		walk(t, w, e, fmt.Sprintf("%s[%q]", path, code))
	}
}

// samples makes an argument for each parameter of a sentence's F, from
// the first'th on, distinct enough to be found in the output, and the
// text each shows as.
func samples(ft reflect.Type, first int) ([]reflect.Value, []string) {
	args := make([]reflect.Value, ft.NumIn())
	var shown []string
	for i := range ft.NumIn() {
		if i < first {
			args[i] = reflect.Zero(ft.In(i))
			continue
		}
		n := 7001 + i
		a := reflect.New(ft.In(i)).Elem()
		switch {
		case a.Type() == reflect.TypeOf(time.Duration(0)):
			a.SetInt(int64(n) * int64(time.Second))
		case a.Kind() == reflect.String:
			a.SetString(fmt.Sprintf("‹%d›", n))
		case a.CanInt():
			a.SetInt(int64(n))
		case a.CanUint():
			a.SetUint(uint64(n))
		case a.CanFloat():
			a.SetFloat(float64(n))
		}
		args[i] = a
		shown = append(shown, strings.Trim(fmt.Sprint(a.Interface()), `"`))
	}
	return args, shown
}

func checkFilled(t *testing.T, path, out string, shown []string) {
	t.Helper()
	if strings.Contains(out, "%!") {
		t.Errorf("%s: a blank does not suit its value: %q", path, out)
	}
	for _, s := range shown {
		if !strings.Contains(out, s) && !strings.Contains(out, strings.TrimPrefix(s, "¥")) {
			t.Errorf("%s leaves out a blank (%s): %q", path, s, out)
		}
	}
}
