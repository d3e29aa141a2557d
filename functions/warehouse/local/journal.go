package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// journal is the commit record written to <staging>/COMMIT once every table
// is staged. Its presence means "publish these"; each entry carries the
// identity of the staged partition folder, which a rename keeps, so recovery
// knows whether the folder now at the table's partition path is the new data
// (already swapped) or not (still to swap) without any per-table marker that
// a crash could separate from the swap itself.
type journal struct {
	Version int            `json:"version"`
	AsOf    string         `json:"as_of"`
	RunID   string         `json:"run_id"`
	Tables  []journalEntry `json:"tables"`
}

type journalEntry struct {
	Table string `json:"table"`
	ID    fileID `json:"id"`
}

func writeJournal(dir string, j journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, journalName+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing commit journal: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, journalName))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("writing commit journal: %w", err)
	}
	return nil
}

func removeJournal(dir string) error {
	if err := os.Remove(filepath.Join(dir, journalName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing commit journal: %w", err)
	}
	return syncDir(dir)
}

func readJournal(dir string) (journal, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, journalName))
	if errors.Is(err, os.ErrNotExist) {
		return journal{}, false, nil
	}
	if err != nil {
		return journal{}, false, err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return journal{}, false, fmt.Errorf("reading commit journal %s: %w", dir, err)
	}
	if j.Version != 1 {
		return journal{}, false, fmt.Errorf("commit journal %s: unknown version %d", dir, j.Version)
	}
	return j, true, nil
}

// recover finishes or discards what dead transactions left in staging.
func (w *Warehouse) recover() error {
	base := filepath.Join(w.root, stagingDir)
	entries, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	for _, e := range entries {
		dir := filepath.Join(base, e.Name())
		if !e.IsDir() {
			if err := os.Remove(dir); err != nil {
				return err
			}
			continue
		}
		lock, busy, err := tryLock(dir)
		if err != nil {
			return err
		}
		if busy {
			continue // a live transaction
		}
		err = w.recoverStaging(dir)
		lock.unlock()
		if err != nil {
			return fmt.Errorf("recovering %s: %w", dir, err)
		}
	}
	return syncDir(base)
}

func (w *Warehouse) recoverStaging(dir string) error {
	j, committed, err := readJournal(dir)
	if err != nil {
		return err
	}
	if committed {
		if err := w.rollForward(dir, j); err != nil {
			return err
		}
		if err := removeJournal(dir); err != nil {
			return err
		}
	}
	return os.RemoveAll(dir)
}

// rollForward publishes every journal table not yet swapped in.
func (w *Warehouse) rollForward(dir string, j journal) error {
	asOf, err := schema.ParseDay(j.AsOf)
	if err != nil {
		return fmt.Errorf("commit journal: %w", err)
	}
	part, err := partitionName(asOf)
	if err != nil {
		return fmt.Errorf("commit journal: %w", err)
	}
	for _, e := range j.Tables {
		t, err := warehouse.CheckTable(e.Table)
		if err != nil {
			return fmt.Errorf("commit journal: %w", err)
		}
		staged := filepath.Join(dir, t.Name, part)
		target := w.target(t.Name, part)
		aside := filepath.Join(dir, "_old", t.Name, part)
		if id, ok, err := idOf(target); err != nil {
			return err
		} else if ok && id == e.ID {
			continue // already swapped in
		}
		id, ok, err := idOf(staged)
		if err != nil {
			return err
		}
		if !ok || id != e.ID {
			return fmt.Errorf("table %s: the new partition is neither staged nor published; staging left in place for inspection", t.Name)
		}
		if _, err := w.publish(staged, target, aside); err != nil {
			return fmt.Errorf("publishing %s: %w", t.Name, err)
		}
	}
	return nil
}
