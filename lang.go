package main

import (
	"cmp"
	"flag"
	"strings"

	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// The language of everything the kiosk says: the screens, the receipts,
// the command line's tables, reports and messages, and kiosk help. It is,
// first to last, --lang on any command, KIOSK_LANG, lang in the config,
// and the locale (LC_ALL, LC_MESSAGES, LANG: zh_* is Chinese, anything
// else English). kiosk help, -h and a complaint about the flags come
// before the config is read, so they follow the flag, KIOSK_LANG or the
// locale.

// langFlag is --lang, which every command takes.
func langFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.lang, "lang", "", say.Usage.FlagLang.F(words.Tags()))
}

// speak makes w the language of the command line and of the tables made
// of its words: the commands' summaries and the groups' subcommands.
func speak(w *words.Words) {
	say = w
	cli.Speak(w)
	commands = commandTable()
	groups = groupTable()
}

// speakFromArgs speaks the language of --lang in args, else of
// KIOSK_LANG, else of the locale, before the flags are parsed, so that
// kiosk help and the flags' own complaints are in it.
func speakFromArgs(args []string, getenv func(string) string) error {
	speak(words.FromLocale(getenv)) // a tag the kiosk does not speak is refused in the locale's language
	if tag, ok := langArg(args); ok {
		return speakTag("--lang", tag)
	}
	if tag := getenv("KIOSK_LANG"); tag != "" {
		return speakTag("KIOSK_LANG", tag)
	}
	speak(words.FromLocale(getenv))
	return nil
}

// speakConfigured speaks the config's lang (KIOSK_LANG included) once the
// config is read, unless --lang chose already. A lang the kiosk does not
// speak is refused naming the file and the line it came from, as every
// other setting of the file is.
func (e *env) speakConfigured() error {
	if e.opts.lang != "" || e.cfg.Lang == "" {
		return nil
	}
	if _, ok := words.For(e.cfg.Lang); !ok {
		at := cmp.Or(e.cfg.origins["lang"], origin{file: e.opts.config})
		return cli.UsageText(at.say(say.Usage.BadLang.F("lang", e.cfg.Lang, words.Tags())), nil)
	}
	return speakTag("lang", e.cfg.Lang)
}

// speakTag speaks the language tag names; where says where the tag was
// given, for the complaint about one the kiosk does not speak.
func speakTag(where, tag string) error {
	w, ok := words.For(tag)
	if !ok {
		return cli.UsageText(say.Usage.BadLang.F(where, tag, words.Tags()), nil)
	}
	speak(w)
	return nil
}

// langArg finds --lang's value in args, as the flag package reads it:
// -lang or --lang, then the value as the next argument or after "=".
func langArg(args []string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if hasValue {
			return value, true
		}
		if i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}
