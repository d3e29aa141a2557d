// Command pqi runs the Partner Quality Index pipeline from the command
// line: generate a synthetic ecosystem, ingest exports into a warehouse
// (the embedded Parquet one or BigQuery), score it, write the board report, list the runs, and run
// the analysts' SQL. Each command builds its job's Config from flags and
// calls the job's Run; nothing else lives here.
//
// Exit codes: 0 success, 1 the run failed (bad input, I/O), 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/partnerq/pqi/functions/logs"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/transforms/schema"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = ""

func codeVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// usageError marks a mistake in how pqi was called (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: output streams and the logger.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	isTerminal     bool // stderr is a terminal: show progress
	now            func() time.Time
}

// asOf is the --as-of flag of a command, with --any-date.
type asOf struct {
	date    *string
	anyDate *bool
	today   schema.Day // UTC
}

// asOfFlag is the --as-of flag of a command: by default the last quarter
// end before today (UTC), so an unattended run scores the quarter that
// has just closed. A date that is not a quarter end, or a quarter that
// has not closed yet, needs --any-date.
func (e *env) asOfFlag(fs *flag.FlagSet, what string) asOf {
	today := schema.DayOf(e.now().UTC())
	return asOf{
		date: fs.String("as-of", today.QuarterEndBefore().String(),
			what+"; default: the last quarter end before today (UTC)"),
		anyDate: fs.Bool("any-date", false, "allow an --as-of that is not a quarter end, or a quarter that has not closed yet (a one-off look mid-quarter)"),
		today:   today,
	}
}

// day parses the flag: a usage error unless it is the end of a quarter
// that has closed, or --any-date is set.
func (a asOf) day() (schema.Day, error) {
	d, err := schema.ParseDay(*a.date)
	if err != nil {
		return 0, usagef("--as-of: %v", err)
	}
	switch {
	case *a.anyDate:
	case !d.IsQuarterEnd():
		return 0, usagef("--as-of %s is not a quarter end; use the quarter's last day (%s), or add --any-date to load or score this date anyway",
			*a.date, d.QuarterEnd())
	case d >= a.today:
		return 0, usagef("--as-of %s: that quarter has not closed yet (today is %s UTC), so its exports are not complete; the last closed quarter is %s, the default. Add --any-date to load or score the open quarter anyway",
			*a.date, a.today, a.today.QuarterEndBefore())
	}
	return d, nil
}

func commands() []command {
	return []command{
		{"gen", "write a synthetic partner ecosystem (exports + hidden truth)", cmdGen},
		{"ingest", "load exports into the warehouse for an as-of date", cmdIngest},
		{"score", "compute the Partner Quality Index and the finance tables of an as-of date", cmdScore},
		{"report", "write the quarterly board report (PDF) of an as-of date", cmdReport},
		{"scorecards", "write every partner's own scorecard (one PDF each) of an as-of date", cmdScorecards},
		{"run", "ingest, score and report an as-of date", cmdRun},
		{"demo", "generate an ecosystem and run the pipeline on it", cmdDemo},
		{"runs", "list the runs recorded in a warehouse", cmdRuns},
		{"qualify", "score partner applications against the qualification rubric", cmdQualify},
		{"sql", "run SQL on the warehouse (DuckDB over a local one, or BigQuery); list and describe its tables and views", cmdSQL},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, stderrIsTerminal(), time.Now)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool, now func() time.Time) int {
	global := flag.NewFlagSet("pqi", flag.ContinueOnError)
	logFormat := global.String("log-format", "text", "log format: text or json")
	logLevel := global.String("log-level", "info", "log level: debug, info, warn, error")
	showVersion := global.Bool("version", false, "print the version and exit")
	cpuProfile := global.String("cpuprofile", "", "write a CPU profile of the command to this file (for performance work)")
	memProfile := global.String("memprofile", "", "write an allocation profile of the command to this file when it ends (for performance work)")
	global.Usage = func() { printUsage(stdout, global) }
	if err := parseQuietly(global, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "pqi: %v\nRun 'pqi --help' for usage.\n", err)
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "pqi", codeVersion())
		return 0
	}
	log, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(stderr, "pqi:", err)
		return 2
	}
	stopProfiles, err := startProfiles(*cpuProfile, *memProfile, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "pqi:", err)
		return 2
	}
	defer stopProfiles()
	rest := global.Args()
	if len(rest) == 0 {
		printUsage(stderr, global)
		return 2
	}
	if rest[0] == "help" { // pqi help [command]
		if len(rest) == 1 {
			printUsage(stdout, global)
			return 0
		}
		rest = []string{rest[1], "--help"}
	}
	if scoringCommands[rest[0]] && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(score.GCPercent) // GOGC, when set, wins
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			return exitCode(c, c.run(ctx, &env{stdout: stdout, stderr: stderr, log: log, isTerminal: tty, now: now}, rest[1:]), stderr)
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	fmt.Fprintf(stderr, "pqi: unknown command %q%s\nRun 'pqi --help' for the commands.\n", rest[0], didYouMean(rest[0], names, ""))
	return 2
}

// exitCode says how command c ended (err) and is its exit code: 0, 1 for a
// failed run, 2 for a usage error.
func exitCode(c command, err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pqi %s: %v\nRun 'pqi %s --help' for usage.\n", c.name, err, c.name)
		return 2
	}
	fmt.Fprintf(stderr, "pqi %s: %v\n", c.name, err)
	return 1
}

// startProfiles starts the CPU profile (--cpuprofile) and arranges the
// allocation profile (--memprofile); stop writes them.
func startProfiles(cpu, mem string, stderr io.Writer) (stop func(), err error) {
	stop = func() {}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return stop, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return stop, fmt.Errorf("--cpuprofile: %w", err)
		}
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	if mem != "" {
		cpuStop := stop
		stop = func() {
			cpuStop()
			if err := writeAllocProfile(mem); err != nil {
				fmt.Fprintln(stderr, "pqi: --memprofile:", err)
			}
		}
	}
	return stop, nil
}

func printUsage(w io.Writer, global *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: pqi [global flags] <command> [flags]")
	fmt.Fprintln(w, "\nCommands:")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal flags:")
	global.PrintDefaults()
	fmt.Fprintln(w, "\nRun 'pqi <command> --help' for a command's flags. Exit codes: 0 ok, 1 run failed, 2 usage.")
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return logs.JSON(w, lvl), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// newFlags makes a command's flag set with a usage line; --help prints it
// on stdout (parseFlags).
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("pqi "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: pqi %s %s\n\nFlags:\n", name, usage)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a command's flags (parseQuietly) and refuses
// arguments that are not flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := parseQuietly(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// parseQuietly parses flags. Help is printed, by the flag set's Usage,
// only when asked for; a mistake is returned as one usage error, naming
// the nearest flag when one is unknown, for the caller to print once.
func parseQuietly(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {}     // the flag package calls it on errors too
	fs.SetOutput(io.Discard) // and prints the error itself
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return err
	case err != nil:
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			msg = "unknown flag --" + strings.TrimPrefix(name, "-") + didYouMean(strings.TrimPrefix(name, "-"), names, "--")
		}
		return usageError{msg}
	}
	return nil
}

// writeAllocProfile writes the allocations made so far (pprof "allocs":
// alloc_space shows where memory was requested, which is what the kernel
// has to fault in).
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var scoringCommands = map[string]bool{"score": true, "run": true, "demo": true}
