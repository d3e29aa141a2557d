package report

import (
	"context"
	"fmt"
	"sort"

	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/schema"
)

// maxConflicts is how many partners and cases the conflicts list shows.
const maxConflicts = 8

// readConflicts reads registration_conflicts: the partners registering
// most inside others' protection, and the latest cases.
func (l *loader) readConflicts(ctx context.Context, d *board.Data) error {
	f, err := l.frame(ctx, schema.RegistrationConflicts, []string{schema.CustomerID, schema.FirstPartnerID, schema.FirstRegistered,
		schema.ProtectionDays, schema.DealID, schema.PartnerID, schema.RegisteredDate})
	if err != nil {
		return err
	}
	c := &d.Conflicts
	if c.Total = f.Rows(); c.Total == 0 {
		return nil
	}
	df := f.DataFrame()
	cust, first, later := df.Col(schema.CustomerID).Records(), df.Col(schema.FirstPartnerID).Records(), df.Col(schema.PartnerID).Records()
	firstDay, laterDay, days, deal := df.Col(schema.FirstRegistered).Float(), df.Col(schema.RegisteredDate).Float(), df.Col(schema.ProtectionDays).Float(), df.Col(schema.DealID).Records()
	type tally struct {
		later, first       int
		customers, victims map[string]bool
	}
	by := map[string]*tally{}
	get := func(id string) *tally {
		if by[id] == nil {
			by[id] = &tally{customers: map[string]bool{}, victims: map[string]bool{}}
		}
		return by[id]
	}
	order := make([]int, len(cust))
	for i := range cust {
		order[i] = i
		t := get(later[i])
		t.later++
		t.customers[cust[i]], t.victims[first[i]] = true, true
		get(first[i]).first++
	}
	var ids []string
	for id, t := range by {
		if t.later > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(a, b int) bool {
		if by[ids[a]].later != by[ids[b]].later {
			return by[ids[a]].later > by[ids[b]].later
		}
		return ids[a] < ids[b]
	})
	for _, id := range ids[:min(len(ids), maxConflicts)] {
		t := by[id]
		c.Partners = append(c.Partners, board.ConflictPartner{Partner: l.partner(id), Later: t.later, First: t.first, Customers: len(t.customers), Victims: len(t.victims)})
	}
	sort.Slice(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if laterDay[i] != laterDay[j] {
			return laterDay[i] > laterDay[j]
		}
		return deal[i] < deal[j]
	})
	for _, i := range order[:min(len(order), maxConflicts)] {
		c.Recent = append(c.Recent, board.Conflict{Customer: cust[i], First: l.partner(first[i]), Later: l.partner(later[i]),
			FirstDate: schema.Day(firstDay[i]), LaterDate: schema.Day(laterDay[i]), Days: int(days[i])})
	}
	return nil
}

// readApplicants reads the applications assessed in the as-of quarter
// from the qualification table.
func (l *loader) readApplicants(ctx context.Context, d *board.Data) error {
	f, err := l.frame(ctx, schema.Qualification, []string{schema.ApplicantID, schema.ApplicantName, schema.AssessedDate, schema.Assessor,
		schema.Total, schema.Maximum, schema.Band, schema.MissingCriteria})
	if err != nil || f.Rows() == 0 {
		return err
	}
	df := f.DataFrame()
	id, name, who, band, miss := df.Col(schema.ApplicantID).Records(), df.Col(schema.ApplicantName).Records(), df.Col(schema.Assessor).Records(),
		df.Col(schema.Band).Records(), df.Col(schema.MissingCriteria).Records()
	day, total, maxi := df.Col(schema.AssessedDate).Float(), df.Col(schema.Total).Float(), df.Col(schema.Maximum).Float()
	q := l.cfg.AsOf.Quarter()
	for i := range id {
		if schema.Day(day[i]).Quarter() != q {
			continue
		}
		b, ok := schema.IntakeBands.Parse(band[i])
		if !ok {
			return fmt.Errorf("qualification: applicant %s has band %q, not the contract's", id[i], band[i])
		}
		a := board.Applicant{ID: id[i], Name: name[i], Assessor: who[i], Assessed: schema.Day(day[i]),
			Total: int(total[i]), Max: int(maxi[i]), Band: b, Missing: miss[i]}
		if a.Name == "" {
			a.Name = a.ID
		}
		d.Applicants = append(d.Applicants, a)
	}
	sort.SliceStable(d.Applicants, func(a, b int) bool { return d.Applicants[a].Assessed < d.Applicants[b].Assessed })
	return nil
}
