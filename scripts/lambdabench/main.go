// Command lambdabench measures the Lambda functions as Lambda runs them:
// it starts the built bootstrap once per job against a Runtime API on
// loopback, over a generated ecosystem, and prints for each job the cold
// start (process start to its first request for an event), the
// invocation's wall time and the process's peak memory, beside the same
// job run by the pqi CLI on the same data (the peer the figures are
// ratios to). It measures; it asserts nothing.
//
//	go build -o bin/pqi ./functions/pqi
//	CGO_ENABLED=0 go build -tags lambda.norpc -o bin/bootstrap ./functions/lambda
//	go run ./scripts/lambdabench --partners 40000 --bootstrap bin/bootstrap --pqi bin/pqi
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/lambda/runtimeapi"
	"github.com/partnerq/pqi/transforms/schema"
)

func main() {
	partners := flag.Int("partners", 4000, "partners to generate")
	boot := flag.String("bootstrap", "bin/bootstrap", "the built function")
	pqi := flag.String("pqi", "bin/pqi", "the built CLI, the peer")
	dir := flag.String("dir", "", "work folder (default: a temp folder, removed)")
	flag.Parse()
	if err := run(*partners, *boot, *pqi, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "lambdabench:", err)
		os.Exit(1)
	}
}

func run(partners int, boot, pqi, dir string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "lambdabench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	asOf, _ := schema.ParseDay("2026-09-30")
	exports := filepath.Join(dir, "exports")
	t0 := time.Now()
	g, err := gen.Run(context.Background(), gen.Config{Partners: partners, Seed: 1, Quarters: 8, AsOf: asOf.Time(),
		DealsPerPartner: 40, BadRows: 0.01, Out: exports, TruthDir: filepath.Join(dir, "truth")})
	if err != nil {
		return err
	}
	fmt.Printf("%d partners, %d deals generated in %.1f s\n\n", g.Partners, g.Deals, time.Since(t0).Seconds())
	fmt.Println("job     cold start   wall (Lambda)  peak MiB (Lambda)  wall (CLI)  peak MiB (CLI)  wall ratio")
	event := `{"scheduled_time": "2026-10-01T06:00:00Z"}`
	for _, job := range []struct {
		name string
		env  []string
		cli  []string
	}{
		{"ingest", []string{"PQI_EXPORTS=" + exports}, []string{"ingest", "--in", exports, "--warehouse", filepath.Join(dir, "cli")}},
		{"score", nil, []string{"score", "--warehouse", filepath.Join(dir, "cli")}},
		{"report", []string{"PQI_REPORTS=" + filepath.Join(dir, "reports")}, []string{"report", "--warehouse", filepath.Join(dir, "cli"), "--out", filepath.Join(dir, "cli.pdf")}},
	} {
		env := append([]string{"PQI_JOB=" + job.name, "PQI_WAREHOUSE=" + filepath.Join(dir, "wh"), "PATH=" + os.Getenv("PATH")}, job.env...)
		cold, wall, peak, err := invoke(boot, env, event)
		if err != nil {
			return fmt.Errorf("%s: %w", job.name, err)
		}
		cwall, cpeak, err := cli(pqi, append([]string{"--log-level", "warn"}, append(job.cli, "--as-of", "2026-09-30")...))
		if err != nil {
			return fmt.Errorf("%s by the CLI: %w", job.name, err)
		}
		fmt.Printf("%-7s %8.0f ms  %11.2f s  %17.0f  %8.2f s  %14.0f  %10.2f\n", job.name, cold.Seconds()*1000, wall.Seconds(), peak,
			cwall.Seconds(), cpeak, wall.Seconds()/cwall.Seconds())
	}
	return nil
}

// invoke starts the function, hands it one event and returns its cold
// start, the invocation's wall time and the process's peak RSS in MiB.
func invoke(boot string, env []string, event string) (time.Duration, time.Duration, float64, error) {
	api, err := runtimeapi.Start()
	if err != nil {
		return 0, 0, 0, err
	}
	defer api.Close()
	cmd := exec.Command(boot)
	cmd.Env = append(env, api.Env()...)
	cmd.Stdout, cmd.Stderr = nil, os.Stderr
	api.MarkStart()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	r, err := api.Invoke(ctx, []byte(event), 15*time.Minute)
	if err != nil {
		return 0, 0, 0, err
	}
	if r.Failed || !strings.Contains(string(r.Body), `"outcome":"succeeded"`) {
		return 0, 0, 0, fmt.Errorf("the run failed: %s", r.Body)
	}
	return api.ColdStart(), r.Took, peakMiB(cmd.Process.Pid), nil
}

// peakMiB is a live process's peak resident set (VmHWM).
func peakMiB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// cli runs the CLI once and returns its wall time and peak RSS in MiB.
func cli(pqi string, args []string) (time.Duration, float64, error) {
	cmd := exec.Command(pqi, args...)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, err
	}
	wall := time.Since(t0)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		return wall, 0, nil
	}
	return wall, float64(ru.Maxrss) / 1024, nil
}
