package bigquery

import (
	"context"
	"fmt"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
)

// Sources runs the jobs of BigQuery sources (a mapping's bigquery:) for
// the export readers: sources.Querier on a client.
type Sources struct {
	client *bq.Client
	owned  bool // Close closes the client
}

var _ sources.Querier = (*Sources)(nil)

// SourcesOf is a Sources on the client of w when w is a BigQuery
// warehouse (opened or not), so that sources run their jobs as the
// warehouse does; nil for any other warehouse.
func SourcesOf(w warehouse.Warehouse) *Sources {
	for {
		u, ok := w.(interface{ Unwrap() warehouse.Warehouse })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	if b, ok := w.(*Warehouse); ok {
		return SourcesWith(b.client)
	}
	return nil
}

// SourcesWith is a Sources on a client the caller owns (and closes).
func SourcesWith(client *bq.Client) *Sources { return &Sources{client: client} }

// NewSources connects to BigQuery for sources' jobs in project,
// authenticated with Application Default Credentials unless opts say
// otherwise. Close it when done.
func NewSources(ctx context.Context, project string, opts ...option.ClientOption) (*Sources, error) {
	c, err := OpenClient(ctx, project, opts...)
	if err != nil {
		return nil, err
	}
	return &Sources{client: c, owned: true}, nil
}

// Close closes the client if NewSources opened it.
func (s *Sources) Close() error {
	if s == nil || !s.owned {
		return nil
	}
	return s.client.Close()
}

// QuerySource runs q as a job, waits for it, and streams its result
// through the Storage Read API.
func (s *Sources) QuerySource(ctx context.Context, q sources.SourceQuery, alloc memory.Allocator) (array.RecordReader, uint64, error) {
	query := s.client.Query(q.SQL)
	query.ProjectID = q.Project
	query.Location = q.Location
	query.Labels = q.Labels
	job, err := query.Run(ctx)
	if err == nil {
		var st *bq.JobStatus
		if st, err = job.Wait(ctx); err == nil {
			err = st.Err()
		}
	}
	if err != nil {
		return nil, 0, err
	}
	rr, total, err := readJob(ctx, job, alloc)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the result through the Storage Read API: %w", err)
	}
	return rr, total, nil
}
