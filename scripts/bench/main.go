// Command bench measures pqi's jobs beside a DuckDB peer doing comparable
// work on the same files, on generated ecosystems: wall time, CPU time and
// peak RSS of each process, medians over interleaved runs, and the ratios.
// It measures; it asserts nothing (make bench; docs/operations.md).
//
// Per size and run, in this order so that a slow spell on a shared machine
// hits both sides alike:
//
//	ingest    pqi ingest of the CSV exports        peer: COPY each CSV to Parquet
//	validate  (the same pqi ingest)                peer: a contract-style validation query
//	score     pqi score of the warehouse           peer: the group-by core of the score
//	report    pqi report (the board PDF)
//
// The peer runs as a child process of this command (bench peer ...), so
// its peak RSS is its own. Both run without GOMEMLIMIT (removed from their
// environment), so a peak is what the process needs, not what a limit
// forced. A size written 40000x2 has twice the deals per partner: beside
// the same size without it, the bench prints what twice the deals cost the
// score in time and peak memory.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/transforms/schema"
)

const asOf = "2026-09-30"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "peer" {
		if err := peer(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench peer:", err)
			os.Exit(1)
		}
		return
	}
	sizes := flag.String("partners", "4000,40000,40000x2", "ecosystem sizes, comma-separated; NxK has K times the deals per partner")
	runs := flag.Int("runs", 3, "runs per size (the figures are medians)")
	perPartner := flag.Float64("deals-per-partner", 250, "mean deals per partner (250 gives about 10M deals at 40,000 partners)")
	pqi := flag.String("pqi", "bin/pqi", "the built CLI")
	dir := flag.String("dir", "bench-data", "work folder; generated exports are kept there and reused")
	flag.Parse()
	var ns []size
	for _, s := range strings.Split(*sizes, ",") {
		sz, err := parseSize(strings.TrimSpace(s))
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: --partners: %v\n", err)
			os.Exit(2)
		}
		ns = append(ns, sz)
	}
	if err := run(ns, *runs, *perPartner, *pqi, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// size is an ecosystem to measure: its partners, and a multiple of the
// deals per partner (1 unless written NxK).
type size struct {
	partners int
	deals    float64
}

func parseSize(s string) (size, error) {
	p, k, hasK := strings.Cut(s, "x")
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		return size{}, fmt.Errorf("%q is not a positive number of partners (N, or NxK for K times the deals per partner)", s)
	}
	sz := size{partners: n, deals: 1}
	if hasK {
		if sz.deals, err = strconv.ParseFloat(k, 64); err != nil || sz.deals <= 0 {
			return size{}, fmt.Errorf("%q: the deals multiple %q is not a positive number", s, k)
		}
	}
	return sz, nil
}

func (s size) String() string {
	if s.deals == 1 {
		return strconv.Itoa(s.partners)
	}
	return fmt.Sprintf("%dx%g", s.partners, s.deals)
}

// sample is one process's cost.
type sample struct {
	wall, cpu time.Duration
	rssMiB    float64
}

// step is one row of the table: pqi's samples and its peer's.
type step struct {
	name, peerName string
	pqi, peer      []sample
}

func run(sizes []size, runs int, perPartner float64, pqi, dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	fmt.Printf("machine: %s, %d cores, %s; %d runs per size, medians\n", host, cpuCount(), memTotal(), runs)
	totals, scores := map[size]float64{}, map[size]sample{}
	for _, n := range sizes {
		work := filepath.Join(dir, "p"+n.String())
		exports, err := ensureExports(work, n.partners, perPartner*n.deals)
		if err != nil {
			return err
		}
		steps, e2e, err := measure(self, pqi, work, exports, runs)
		if err != nil {
			return err
		}
		printSize(n, exports, steps, e2e)
		totals[n] = median(e2e)
		for _, st := range steps {
			if st.name == "score" {
				w, c, m := medians(st.pqi)
				scores[n] = sample{time.Duration(w * float64(time.Second)), time.Duration(c * float64(time.Second)), m}
			}
		}
	}
	printScaling(sizes, totals, scores)
	return nil
}

// printScaling compares each size with the previous one of the same
// deals per partner (end to end), and each NxK size with N (the score's
// time and peak memory: how they grow with deals, partners fixed).
func printScaling(sizes []size, totals map[size]float64, scores map[size]sample) {
	var prev *size
	for i, n := range sizes {
		if n.deals != 1 {
			continue
		}
		if prev != nil {
			fmt.Printf("\nscaling %d -> %d partners (%.1fx): end to end %.1fx the time\n", prev.partners, n.partners,
				float64(n.partners)/float64(prev.partners), totals[n]/totals[*prev])
		}
		prev = &sizes[i]
	}
	for _, n := range sizes {
		base := size{partners: n.partners, deals: 1}
		b, ok := scores[base]
		if n.deals == 1 || !ok {
			continue
		}
		s := scores[n]
		fmt.Printf("\n%d partners, %gx the deals per partner: score %.2fx the wall time, %.2fx the CPU, %.2fx the peak RSS (%.0f -> %.0f MiB)\n",
			n.partners, n.deals, s.wall.Seconds()/b.wall.Seconds(), s.cpu.Seconds()/b.cpu.Seconds(), s.rssMiB/b.rssMiB, b.rssMiB, s.rssMiB)
	}
}

// ensureExports generates the ecosystem once; a later run reuses it.
func ensureExports(work string, partners int, perPartner float64) (string, error) {
	exports := filepath.Join(work, "exports")
	done := filepath.Join(work, "generated")
	if _, err := os.Stat(done); err == nil {
		return exports, nil
	}
	if err := os.RemoveAll(work); err != nil {
		return "", err
	}
	t0 := time.Now()
	res, err := gen.Run(context.Background(), gen.Config{Partners: partners, Seed: 1, Quarters: 8, AsOf: mustDate(asOf),
		DealsPerPartner: perPartner, BadRows: 0.01, Out: exports, TruthDir: filepath.Join(work, "truth")})
	if err != nil {
		return "", err
	}
	fmt.Printf("generated %d partners, %d deals in %.0f s\n", res.Partners, res.Deals, time.Since(t0).Seconds())
	return exports, os.WriteFile(done, nil, 0o644)
}

// measure runs every step runs times, interleaved, and returns the steps
// and each run's end-to-end wall time (ingest + score + report).
func measure(self, pqi, work, exports string, runs int) ([]*step, []float64, error) {
	wh, parquet := filepath.Join(work, "wh"), filepath.Join(work, "peer-parquet")
	ingest := &step{name: "ingest", peerName: "CSV to Parquet COPY"}
	validate := &step{name: "ingest", peerName: "validation query"}
	score := &step{name: "score", peerName: "group-by core"}
	report := &step{name: "report"}
	var e2e []float64
	quiet := []string{"--log-level", "warn"}
	for range runs {
		if err := os.RemoveAll(wh); err != nil {
			return nil, nil, err
		}
		in, err := timed(pqi, append(quiet, "ingest", "--in", exports, "--warehouse", wh, "--as-of", asOf)...)
		if err != nil {
			return nil, nil, err
		}
		ingest.pqi, validate.pqi = append(ingest.pqi, in), append(validate.pqi, in)
		if err := os.RemoveAll(parquet); err != nil {
			return nil, nil, err
		}
		if err := add(&ingest.peer, self, "peer", "copy", exports, parquet); err != nil {
			return nil, nil, err
		}
		if err := add(&validate.peer, self, "peer", "validate", exports, ""); err != nil {
			return nil, nil, err
		}
		sc, err := timed(pqi, append(quiet, "score", "--warehouse", wh, "--as-of", asOf)...)
		if err != nil {
			return nil, nil, err
		}
		score.pqi = append(score.pqi, sc)
		if err := add(&score.peer, self, "peer", "groupby", wh, ""); err != nil {
			return nil, nil, err
		}
		rp, err := timed(pqi, append(quiet, "report", "--warehouse", wh, "--as-of", asOf, "--out", filepath.Join(work, "board.pdf"))...)
		if err != nil {
			return nil, nil, err
		}
		report.pqi = append(report.pqi, rp)
		e2e = append(e2e, (in.wall + sc.wall + rp.wall).Seconds())
	}
	return []*step{ingest, validate, score, report}, e2e, nil
}

func add(to *[]sample, cmd string, args ...string) error {
	s, err := timed(cmd, args...)
	*to = append(*to, s)
	return err
}

// timed runs a command to its end and returns its wall time, CPU time
// (user + system) and peak RSS.
func timed(name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GOMEMLIMIT=") })
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = nil, &stderr
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, errors.New("no resource usage for the child process")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rssMiB: float64(ru.Maxrss) / 1024}, nil
}

func printSize(n size, exports string, steps []*step, e2e []float64) {
	csvBytes, rows := exportSize(exports)
	label := fmt.Sprintf("%d partners", n.partners)
	if n.deals != 1 {
		label += fmt.Sprintf(" with %gx the deals each", n.deals)
	}
	fmt.Printf("\n%s: %s rows, %.2f GB of CSV\n", label, thousands(rows), float64(csvBytes)/1e9)
	fmt.Printf("%-8s %9s %9s %10s   %-20s %9s %9s %10s   %11s\n", "step", "pqi wall", "pqi CPU", "pqi peak", "peer", "wall", "CPU", "peak", "wall ratio")
	for _, s := range steps {
		w, c, m := medians(s.pqi)
		line := fmt.Sprintf("%-8s %8.1fs %8.1fs %6.0f MiB", s.name, w, c, m)
		if len(s.peer) > 0 {
			pw, pc, pm := medians(s.peer)
			line += fmt.Sprintf("   %-20s %8.1fs %8.1fs %6.0f MiB   %10.2fx", s.peerName, pw, pc, pm, w/pw)
		}
		fmt.Println(line)
	}
	fmt.Printf("end to end (ingest + score + report): %.1f s\n", median(e2e))
}

func medians(s []sample) (wall, cpu, rss float64) {
	var w, c, m []float64
	for _, x := range s {
		w, c, m = append(w, x.wall.Seconds()), append(c, x.cpu.Seconds()), append(m, x.rssMiB)
	}
	return median(w), median(c), median(m)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// exportSize is the bytes and data rows of the CSV exports.
func exportSize(dir string) (int64, int64) {
	var size, rows int64
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	buf := make([]byte, 1<<20)
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			continue
		}
		for {
			n, err := r.Read(buf)
			size += int64(n)
			rows += int64(bytes.Count(buf[:n], []byte{'\n'}))
			if err != nil {
				break
			}
		}
		r.Close()
		rows-- // the header
	}
	return size, rows
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func cpuCount() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(1, strings.Count(string(b), "processor\t:"))
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return fmt.Sprintf("%.0f GiB RAM", kb/1024/1024)
		}
	}
	return "RAM unknown"
}

func mustDate(s string) time.Time {
	d, err := schema.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d.Time()
}
