package main

import (
	"context"
	"fmt"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/transforms/schema"
)

// maxQuarters bounds --quarters: ten years of history.
const maxQuarters = 40

// history ingests and scores the quarters-1 quarters before asOf, oldest
// first, each point in time from the same exports (ingest.Config.KnownBy):
// what was known at that quarter's end, with nothing quarantined for
// being dated after it. Scoring them in order gives the trend, tier
// hysteresis and movers their earlier quarters. Re-running it is
// idempotent: the runs have the same ids and publish the same tables.
func history(ctx context.Context, e *env, in, wh, mappings string, asOf schema.Day, quarters int, settings settings.Settings) error {
	if quarters < 1 || quarters > maxQuarters {
		return usagef("--quarters %d: give 1 (this quarter only) to %d", quarters, maxQuarters)
	}
	if quarters > 1 {
		fmt.Fprintf(e.stdout, "Rebuilding the %d quarters before %s point in time from the same exports\n", quarters-1, asOf.String())
	}
	for back := quarters - 1; back >= 1; back-- {
		day := schema.QuarterFirstDay(asOf.Quarter()-int32(back)+1) - 1 // that quarter's end
		isum, err := ingestDir(ctx, e, in, wh, mappings, schema.Day(day), asOf, 8192)
		if err != nil {
			return fmt.Errorf("rebuilding %s: %w", schema.Day(day).String(), err)
		}
		ssum, err := scoreWarehouse(ctx, e, wh, schema.Day(day), settings)
		if err != nil {
			return fmt.Errorf("scoring %s: %w", schema.Day(day).String(), err)
		}
		var acc, quar, later int64
		for _, s := range isum.Sources {
			acc, quar, later = acc+s.Accepted, quar+s.Quarantined, later+s.NotYetKnown
		}
		fmt.Fprintf(e.stdout, "  %s: %d rows accepted, %d quarantined, %d not yet known then; %d partners, %d scored (runs %s, %s)\n",
			schema.Day(day).String(), acc, quar, later, ssum.Partners, ssum.Scored, isum.RunID, ssum.RunID)
	}
	if quarters > 1 {
		fmt.Fprintln(e.stdout)
	}
	return nil
}
