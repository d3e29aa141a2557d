package ingest

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// joinedDates derives the joined date of partners whose export gives none
// (CRM user tables rarely have one): the created_date of the partner's
// earliest deal, under any role, recorded as joined_date_source
// first_deal. The partners' accepted batches are held (the table is
// small) until the deals and deal_partners are in; the deals' created
// dates ride along with their keys, so nothing per deal is kept.
type joinedDates struct {
	alloc memory.Allocator
	keys  *validate.Keys
	held  []arrow.Record
	first map[string]int32 // partner without a joined_date -> earliest deal created, NoDate until seen
}

func newJoinedDates(alloc memory.Allocator, keys *validate.Keys) *joinedDates {
	return &joinedDates{alloc: alloc, keys: keys, first: map[string]int32{}}
}

// Write holds one accepted partners batch and notes who lacks a joined date.
func (j *joinedDates) Write(rec arrow.Record) error {
	v := schema.NewView(schema.Partners, rec)
	id, joined := v.Str(schema.PartnerID), v.Date(schema.JoinedDate)
	if err := v.Err(); err != nil {
		return err
	}
	for i := range v.Rows() {
		if joined.IsNull(i) {
			j.first[id.Value(i)] = schema.NoDate
		}
	}
	rec.Retain()
	j.held = append(j.held, rec)
	return nil
}

// needed reports whether some partner needs its joined date derived.
func (j *joinedDates) needed() bool { return len(j.first) > 0 }

// see takes one accepted deal_partners batch: each link of a partner that
// needs a date offers its deal's created date.
func (j *joinedDates) see(rec arrow.Record) {
	if !j.needed() {
		return
	}
	v := schema.NewView(schema.DealPartners, rec)
	did, pid := v.Str(schema.DealID), v.Str(schema.PartnerID)
	if v.Err() != nil {
		return // the validator built rec in the stored schema: cannot happen
	}
	for i := range v.Rows() {
		cur, ok := j.first[pid.Value(i)]
		if !ok {
			continue
		}
		if created, ok := j.keys.Aux(schema.Deals, did.Value(i)); ok && (cur == schema.NoDate || created < cur) {
			j.first[pid.Value(i)] = created
		}
	}
}

// flush writes the held partners to w, each missing joined date filled from
// the partner's first deal where it has one.
func (j *joinedDates) flush(w warehouse.TableWriter) error {
	for _, rec := range j.held {
		out, err := j.fill(rec)
		if err != nil {
			return err
		}
		err = w.Write(out)
		out.Release()
		if err != nil {
			return fmt.Errorf("writing table %s: %w", schema.Partners, err)
		}
	}
	return nil
}

// fill is rec with derived joined dates and their source (a new record).
func (j *joinedDates) fill(rec arrow.Record) (arrow.Record, error) {
	if !j.needed() {
		rec.Retain()
		return rec, nil
	}
	v := schema.NewView(schema.Partners, rec)
	id, joined, source := v.Str(schema.PartnerID), v.Date(schema.JoinedDate), v.Str(schema.JoinedDateSource)
	if err := v.Err(); err != nil {
		return nil, err
	}
	db, sb := array.NewDate32Builder(j.alloc), array.NewStringBuilder(j.alloc)
	defer db.Release()
	defer sb.Release()
	for i := range v.Rows() {
		switch d := j.first[id.Value(i)]; {
		case joined.IsValid(i):
			db.Append(joined.Value(i))
			sb.Append(source.Value(i))
		case d != schema.NoDate:
			db.Append(arrow.Date32(d))
			sb.Append(schema.JoinedFromFirstDeal.String())
		default:
			db.AppendNull()
			sb.AppendNull()
		}
	}
	dates, sources := db.NewArray(), sb.NewArray()
	defer dates.Release()
	defer sources.Release()
	cols := append([]arrow.Array(nil), rec.Columns()...)
	sc := rec.Schema()
	cols[sc.FieldIndices(schema.JoinedDate)[0]] = dates
	cols[sc.FieldIndices(schema.JoinedDateSource)[0]] = sources
	return array.NewRecord(sc, cols, rec.NumRows()), nil
}

func (j *joinedDates) release() {
	for _, r := range j.held {
		r.Release()
	}
	j.held = nil
}
