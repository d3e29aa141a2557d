// Package report is the job that writes the quarterly board report: it
// reads the scored tables of one as-of date through the Warehouse
// interface (embedded or BigQuery), the run records behind them, and
// renders reports/board into a PDF. It publishes no table; it records its
// run like every job.
package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

// Config is what one report run writes.
type Config struct {
	AsOf        schema.Day         // quarter-end date reported
	Company     string             // printed on the cover and in the footer
	PageSize    pdf.Size           // pdf.A4 or pdf.Letter
	Settings    *settings.Settings // nil: the configuration the score run recorded; given: must be the one it used
	CodeVersion string
}

// Deps are the things a run talks to. Output receives the PDF, whole,
// only once it rendered; on an error nothing is written to it.
type Deps struct {
	warehouse.Deps
	Output io.Writer
}

// Summary is the outcome of a run.
type Summary struct {
	RunID    string
	AsOf     schema.Day
	Digest   string // what the report was generated from (board.Data.Digest)
	Bytes    int
	Partners int
	Missing  []string // components not measured, with why
	Duration time.Duration
}

// Run writes the board report for cfg.AsOf to deps.Output.
func Run(ctx context.Context, cfg Config, deps Deps) (Summary, error) {
	defaults(&deps.Deps, &cfg.Company)
	started := deps.Now()
	sum := Summary{AsOf: cfg.AsOf}
	l := &loader{cfg: cfg, w: deps.Warehouse, alloc: deps.Alloc}
	data, err := l.load(ctx)
	digest := l.configDigest()
	sum.RunID = runID(warehouse.JobReport, cfg, digest, data.Digest)
	var pdfBytes bytes.Buffer
	if err == nil {
		sum.Digest, sum.Partners = data.Digest, data.Quality.Partners
		for _, c := range data.DataQuality.Components {
			if c.Status != schema.Measured {
				sum.Missing = append(sum.Missing, fmt.Sprintf("%s (%s)", c.Component, c.Status))
			}
		}
		err = board.Render(&pdfBytes, data, board.Options{Company: cfg.Company, PageSize: cfg.PageSize, Creator: "pqi " + cfg.CodeVersion})
	}
	if err == nil {
		if _, err = deps.Output.Write(pdfBytes.Bytes()); err != nil {
			err = fmt.Errorf("writing the report: %w", err)
		}
		sum.Bytes = pdfBytes.Len()
	}
	finished := deps.Now()
	sum.Duration = finished.Sub(started)
	inputs, jerr := json.Marshal(l.inputs)
	if jerr != nil {
		return sum, errors.Join(err, fmt.Errorf("recording the run's inputs: %w", jerr))
	}
	if err := warehouse.Finish(ctx, deps.Warehouse, warehouse.Run{
		RunID: sum.RunID, AsOf: cfg.AsOf, Job: warehouse.JobReport, StartedAt: started, FinishedAt: finished,
		CodeVersion: cfg.CodeVersion, ConfigDigest: digest, Inputs: string(inputs),
	}, err); err != nil {
		return sum, err
	}
	deps.Log.Info("report written", "run_id", sum.RunID, "as_of", cfg.AsOf.String(), "bytes", sum.Bytes,
		"duration", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// defaults fills what a board or scorecards run was not given: what every
// job's are (warehouse.Deps.Filled) and the company's name.
func defaults(deps *warehouse.Deps, company *string) {
	*deps = deps.Filled()
	if *company == "" {
		*company = "Partner ecosystem"
	}
}

// runID names a report or scorecards run: the same inputs, configuration
// and layout give the same id (and the same PDFs).
func runID(job warehouse.Job, cfg Config, configDigest, dataDigest string) string {
	h := sha256.New()
	fmt.Fprintf(h, "as_of=%d\ncode=%s\nconfig=%s\ncompany=%s\npage=%s\ndata=%s\n",
		cfg.AsOf, cfg.CodeVersion, configDigest, cfg.Company, cfg.PageSize.Name, dataDigest)
	return job.RunPrefix() + hex.EncodeToString(h.Sum(nil))[:20]
}

// Input is one table the report read, for the run record.
type Input struct {
	Table string `json:"source"`
	Rows  int    `json:"rows_read"`
	RunID string `json:"run_id,omitempty"`
}
