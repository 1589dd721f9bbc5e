// Command framecast renders video documents and serves the Framecast API.
//
//	framecast render doc.json -o out.mp4 [--segments N] [--format mp4|webm|gif]
//	framecast frame doc.json --at 2.5 -o frame.png
//	framecast validate doc.json
//	framecast schema
//	framecast serve | worker | mcp | keys | credits | migrate
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand: what it does, in one line, and how to run it.
type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// exitError carries an exit code for failures whose message was already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "framecast: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful stop (a worker drains its running jobs); a second one kills.
	context.AfterFunc(ctx, stop)
	if err := cmd.run(ctx, os.Args[2:]); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "framecast:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "Framecast: JSON video documents to MP4, as a CLI, a REST API and an MCP server.")
	fmt.Fprintln(os.Stderr, "\nUsage: framecast <command> [arguments]   (framecast <command> -h for its flags)")
	fmt.Fprintln(os.Stderr, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-9s %s\n", n, commands[n].summary)
	}
}
