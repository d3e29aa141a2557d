package main

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/term"
)

func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

// progress shows how far a long read has got, on a terminal only, at most
// ten times a second.
type progress struct {
	e     *env
	last  time.Time
	file  string
	shown bool
}

func newProgress(e *env) *progress { return &progress{e: e} }

func (p *progress) update(file string, read, size int64) {
	if !p.e.isTerminal {
		return
	}
	now := time.Now()
	if file == p.file && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.file, p.last, p.shown = file, now, true
	pct := 100.0
	if size > 0 {
		pct = 100 * float64(read) / float64(size)
	}
	fmt.Fprintf(p.e.stderr, "\r\033[K  reading %s  %5.1f%%  %s / %s", file, pct, mib(read), mib(size))
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
