package main

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestEveryFlagACommandListsIsRead: each command declares only the flags
// its run reads, so that its --help lists no flag that does nothing
// (kiosk ledger check once listed --date and --format). The reads are
// found in the source: the fields of options that the command's run
// function, and every function of this package it may call, reads; the
// flags are matched to the fields they set. --lang is read by every
// command before it runs, --config by every command that reads a
// configuration.
func TestEveryFlagACommandListsIsRead(t *testing.T) {
	reads := optionReads(t)
	for _, c := range commandTable() {
		read := map[string]bool{"lang": true}
		if !c.noConf {
			read["config"] = true
		}
		for field := range reads.from(funcName(c.run)) {
			read[field] = true
		}
		var o options
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, &o)
		fs.VisitAll(func(f *flag.Flag) {
			field := optionField(t, &o, f)
			if !read[field] {
				t.Errorf("%s lists --%s, but its run never reads options.%s", c.name(), f.Name, field)
			}
		})
		if c.noConf && fs.Lookup("config") != nil {
			t.Errorf("%s reads no configuration but lists --config", c.name())
		}
	}
}

// funcName is the name of the function of this package fn is, or whose
// closure it is.
func funcName(fn any) string {
	name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
	name = strings.TrimPrefix(name, "kiosk.")
	name, _, _ = strings.Cut(name, ".")
	return name
}

// optionField is the name of the field of o that f sets.
func optionField(t *testing.T, o *options, f *flag.Flag) string {
	t.Helper()
	p := reflect.ValueOf(f.Value).Pointer
	if d, ok := f.Value.(durationValue); ok {
		p = reflect.ValueOf(d.d).Pointer
	}
	v := reflect.ValueOf(o).Elem()
	for i := range v.NumField() {
		if v.Field(i).Addr().Pointer() == p() {
			return v.Type().Field(i).Name
		}
	}
	t.Fatalf("--%s sets no field of options", f.Name)
	return ""
}

// funcReads is, for each function of this package (methods by their name
// alone), the fields of options it reads and the functions it names.
type funcReads struct {
	fields map[string][]string
	calls  map[string][]string
}

// from is every field read by the function name and what it may call.
func (r funcReads) from(name string) map[string]bool {
	fields, seen := map[string]bool{}, map[string]bool{}
	var walk func(string)
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, f := range r.fields[name] {
			fields[f] = true
		}
		for _, c := range r.calls[name] {
			walk(c)
		}
	}
	walk(name)
	return fields
}

// optionReads reads the package's source (tests aside). A field is read
// where it is selected from something's opts (e.opts.date), from a
// variable given something's opts (o := e.opts; o.date), or from a
// receiver or parameter of type options.
func optionReads(t *testing.T) funcReads {
	t.Helper()
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var decls []*ast.FuncDecl
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				decls = append(decls, fd)
			}
		}
	}
	names := map[string]bool{}
	for _, fd := range decls {
		names[fd.Name.Name] = true
	}
	r := funcReads{fields: map[string][]string{}, calls: map[string][]string{}}
	for _, fd := range decls {
		if fd.Body == nil {
			continue
		}
		name, optsVars := fd.Name.Name, map[string]bool{}
		for _, fields := range []*ast.FieldList{fd.Recv, fd.Type.Params} { // (o options) or (o *options)
			for _, f := range fieldsOf(fields) {
				if isOptionsType(f.Type) {
					for _, n := range f.Names {
						optsVars[n.Name] = true
					}
				}
			}
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, rhs := range as.Rhs {
					if isOpts(rhs) {
						if id, ok := as.Lhs[i].(*ast.Ident); ok {
							optsVars[id.Name] = true
						}
					}
				}
			}
			return true
		})
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); isOpts(n.X) || ok && optsVars[id.Name] {
					r.fields[name] = append(r.fields[name], n.Sel.Name)
				}
				if names[n.Sel.Name] {
					r.calls[name] = append(r.calls[name], n.Sel.Name)
				}
			case *ast.Ident:
				if names[n.Name] && !slices.Contains(r.calls[name], n.Name) {
					r.calls[name] = append(r.calls[name], n.Name)
				}
			}
			return true
		})
	}
	return r
}

func fieldsOf(l *ast.FieldList) []*ast.Field {
	if l == nil {
		return nil
	}
	return l.List
}

// isOptionsType reports whether x names the type options or *options.
func isOptionsType(x ast.Expr) bool {
	if s, ok := x.(*ast.StarExpr); ok {
		x = s.X
	}
	id, ok := x.(*ast.Ident)
	return ok && id.Name == "options"
}

// isOpts reports whether x is something's opts (e.opts).
func isOpts(x ast.Expr) bool {
	s, ok := x.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "opts"
}
