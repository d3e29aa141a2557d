package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/partnerq/pqi/functions/warehouse"

	"github.com/partnerq/pqi/transforms/schema"
)

var errNoExchange = errors.New("rename exchange not supported")

type txState uint8

const (
	txOpen txState = iota
	txCommitted
	txAborted
	txStranded // journal written, publish incomplete and rollback failed: Open finishes it
)

// Tx stages tables for one as-of date and publishes them together.
type localTx struct {
	w      *Warehouse
	asOf   schema.Day
	part   string // as_of=YYYY-MM-DD
	runID  string
	dir    string // <root>/_staging/<runID>-<nonce>
	lock   *dirLock
	asOfLk *dirLock   // the one-writer lock of the as-of date
	tables []*txTable // in the order Writer was called; published in that order
	state  txState
}

type txTable struct {
	name string
	file *warehouse.ParquetFile
	how  publishKind
}

// Begin starts a transaction writing the partition of asOf on behalf of
// runID.
func (w *Warehouse) Begin(ctx context.Context, asOf schema.Day, runID string) (warehouse.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := warehouse.CheckRunID(runID); err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	part, err := partitionName(asOf)
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	asOfLk, err := w.lockAsOf(ctx, part, runID)
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	dir, lock, err := w.newStaging(runID)
	if err != nil {
		asOfLk.unlock()
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	return &localTx{w: w, asOf: asOf, part: part, runID: runID, dir: dir, lock: lock, asOfLk: asOfLk}, nil
}

// newStaging creates and locks a fresh staging directory.
func (w *Warehouse) newStaging(runID string) (string, *dirLock, error) {
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", nil, err
	}
	dir := filepath.Join(w.root, stagingDir, runID+"-"+hex.EncodeToString(nonce[:]))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", nil, err
	}
	lock, busy, err := tryLock(dir)
	if err == nil && busy {
		err = fmt.Errorf("staging directory %s is locked", dir)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// Writer opens the table for writing in this transaction. Records must match
// schema.Lookup(table).StoredArrow(). The runs table is append-only: use
// AppendRun.
func (tx *localTx) Writer(table string) (warehouse.TableWriter, error) {
	if tx.state != txOpen {
		return nil, fmt.Errorf("writing %s: transaction is finished", table)
	}
	t, err := warehouse.CheckTable(table)
	if err != nil {
		return nil, fmt.Errorf("writing table: %w", err)
	}
	if t.Name == schema.Runs {
		return nil, errors.New("writing runs: the runs table is append-only, use AppendRun")
	}
	for _, tt := range tx.tables {
		if tt.name == t.Name {
			return nil, fmt.Errorf("writing %s: already open in this transaction", t.Name)
		}
	}
	staged := tx.staged(t.Name)
	if err := os.MkdirAll(staged, 0o755); err != nil {
		return nil, fmt.Errorf("writing %s: %w", t.Name, err)
	}
	pf, err := warehouse.CreateParquet(filepath.Join(staged, firstPartName), t, tx.w.alloc)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", t.Name, err)
	}
	tx.tables = append(tx.tables, &txTable{name: t.Name, file: pf})
	return pf, nil
}

func (tx *localTx) staged(table string) string { return filepath.Join(tx.dir, table, tx.part) }

// Commit publishes every table written in this transaction, each replacing
// its as-of partition (re-running an as-of date replaces, never duplicates);
// tables never opened with Writer are left untouched. Writers still open are
// closed first.
//
// Steps: fsync the staged files and folders; write the journal <staging>/COMMIT
// (temp file, fsync, rename) naming each table and the identity (device,
// inode) of its staged partition folder; swap each staged folder into place
// with renameat2(RENAME_EXCHANGE) (or rename the old one aside, then the new
// one in, where exchange is unsupported); remove the journal and staging.
//
// Each table is always wholly old or wholly new. If Commit returns an error,
// every table holds its previous data: tables already swapped are swapped
// back. Should that rollback fail too, the error says so and the next
// Open rolls the publish forward (every table new). A crash after the
// journal is written likewise ends, at the next Open, with every table
// new; a crash before it with every table old.
func (tx *localTx) Commit(ctx context.Context) error {
	switch tx.state {
	case txCommitted:
		return errors.New("committing: already committed")
	case txAborted, txStranded:
		return errors.New("committing: transaction is finished")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, t := range tx.tables {
		if err := t.file.Close(); err != nil {
			return fmt.Errorf("committing: staging %s: %w", t.name, err)
		}
	}
	if len(tx.tables) == 0 {
		tx.finish(txCommitted)
		return nil
	}

	j := journal{Version: 1, AsOf: tx.asOf.String(), RunID: tx.runID}
	for _, t := range tx.tables {
		staged := tx.staged(t.name)
		if err := syncDir(staged); err != nil {
			return fmt.Errorf("committing: %w", err)
		}
		if err := syncDir(filepath.Dir(staged)); err != nil {
			return fmt.Errorf("committing: %w", err)
		}
		id, ok, err := idOf(staged)
		if err == nil && !ok {
			err = fmt.Errorf("staged partition %s vanished", staged)
		}
		if err != nil {
			return fmt.Errorf("committing: %w", err)
		}
		j.Tables = append(j.Tables, journalEntry{Table: t.name, ID: id})
	}
	if err := writeJournal(tx.dir, j); err != nil {
		return fmt.Errorf("committing: %w", err)
	}

	// Point of no return for a crash: from here recovery rolls forward.
	for i, t := range tx.tables {
		var err error
		if hook := tx.w.opts.BeforePublish; hook != nil {
			err = hook(t.name)
		}
		if err == nil {
			t.how, err = tx.w.publish(tx.staged(t.name), tx.w.target(t.name, tx.part), tx.aside(t.name))
		}
		if err != nil {
			err = fmt.Errorf("committing: publishing %s: %w", t.name, err)
			if rerr := tx.rollback(tx.tables[:i]); rerr != nil {
				tx.finish(txStranded)
				return fmt.Errorf("%w; rolling back failed too (%v): the next Open of %s will finish publishing every table", err, rerr, tx.w.root)
			}
			return err
		}
	}
	if err := removeJournal(tx.dir); err != nil {
		// Published; the leftover staging folder is cleaned by the next Open.
		tx.finish(txStranded)
		return nil
	}
	tx.finish(txCommitted)
	return nil
}

func (tx *localTx) aside(table string) string { return filepath.Join(tx.dir, "_old", table, tx.part) }

func (w *Warehouse) target(table, part string) string { return filepath.Join(w.root, table, part) }

// rollback swaps back published tables, newest first, then retracts the
// journal and discards staging. A crash part-way leaves the journal in place,
// so recovery rolls forward instead: still all old or all new.
func (tx *localTx) rollback(published []*txTable) error {
	for i := len(published) - 1; i >= 0; i-- {
		t := published[i]
		if err := tx.w.unpublish(t.how, tx.staged(t.name), tx.w.target(t.name, tx.part), tx.aside(t.name)); err != nil {
			return fmt.Errorf("restoring %s: %w", t.name, err)
		}
	}
	if err := removeJournal(tx.dir); err != nil {
		return err
	}
	tx.finish(txAborted)
	return nil
}

// finish releases the transaction's resources. Staging is deleted unless a
// journal may still be needed by recovery.
func (tx *localTx) finish(s txState) {
	if s != txStranded {
		os.RemoveAll(tx.dir)
	}
	tx.lock.unlock()
	tx.asOfLk.unlock()
	tx.state = s
}

// Abort discards the staged data. It is a no-op after Commit or Abort.
func (tx *localTx) Abort() error {
	if tx.state != txOpen {
		return nil
	}
	for _, t := range tx.tables {
		t.file.Close() // releases the writer's buffers; the file is discarded
	}
	err := os.RemoveAll(tx.dir)
	tx.lock.unlock()
	tx.asOfLk.unlock()
	tx.state = txAborted
	if err != nil {
		return fmt.Errorf("aborting: %w", err)
	}
	return nil
}

type publishKind uint8

const (
	publishedNew      publishKind = iota // no old partition: renamed in
	publishedExchange                    // renameat2 exchange: old data now in staging
	publishedAside                       // old renamed to aside, new renamed in
)

// publish swaps the staged partition folder into target.
func (w *Warehouse) publish(staged, target, aside string) (publishKind, error) {
	tableDir := filepath.Dir(target)
	if _, err := os.Stat(tableDir); errors.Is(err, os.ErrNotExist) {
		if err := os.Mkdir(tableDir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return 0, err
		}
		if err := syncDir(w.root); err != nil {
			return 0, err
		}
	}
	_, exists, err := idOf(target)
	if err != nil {
		return 0, err
	}
	how := publishedNew
	switch {
	case !exists:
		err = os.Rename(staged, target)
	case !w.opts.noExchange:
		how = publishedExchange
		err = exchange(staged, target)
	default:
		err = errNoExchange
	}
	if errors.Is(err, errNoExchange) {
		how = publishedAside
		if err = os.MkdirAll(filepath.Dir(aside), 0o755); err == nil {
			if err = os.Rename(target, aside); err == nil {
				err = os.Rename(staged, target)
			}
		}
	}
	if err != nil {
		return 0, err
	}
	return how, syncDirs(tableDir, filepath.Dir(staged), filepath.Dir(aside))
}

// unpublish undoes publish.
func (w *Warehouse) unpublish(how publishKind, staged, target, aside string) error {
	var err error
	switch how {
	case publishedNew:
		err = os.Rename(target, staged)
	case publishedExchange:
		err = exchange(staged, target)
	case publishedAside:
		if err = os.Rename(target, staged); err == nil {
			err = os.Rename(aside, target)
		}
	}
	if err != nil {
		return err
	}
	return syncDirs(filepath.Dir(target), filepath.Dir(staged), filepath.Dir(aside))
}

// syncDirs fsyncs the folders that exist among dirs.
func syncDirs(dirs ...string) error {
	for _, d := range dirs {
		if _, err := os.Stat(d); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}
