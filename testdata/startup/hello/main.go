// Command hello is the floor of a Go process's start for the benchmarks
// of the kiosk's command line (bench_process_linux_test.go): it prints one line.
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
