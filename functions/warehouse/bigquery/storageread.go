package bigquery

// Query results are read as Arrow records through the Storage Read API,
// the documented path (job.Read, ArrowIterator, NewArrowIteratorReader,
// ipc.NewReader), on BigQuery and on its emulator alike: the warehouse's
// tables and the export readers' BigQuery sources.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// readJob streams the result of a query job that has completed, decoded with
// alloc, and returns its row count. The client must have the Storage Read
// API enabled (EnableStorageReadClient). A query without ORDER BY is read
// over parallel streams, in no particular row order.
func readJob(ctx context.Context, job *bq.Job, alloc memory.Allocator) (array.RecordReader, uint64, error) {
	it, err := job.Read(ctx)
	if err != nil {
		return nil, 0, err
	}
	ai, err := it.ArrowIterator()
	if err != nil {
		return nil, 0, fmt.Errorf("reading the result as Arrow (is the Storage Read API enabled on the client?): %w", err)
	}
	rr, err := ipc.NewReader(bq.NewArrowIteratorReader(framedIterator{ai}), ipc.WithAllocator(alloc))
	if err != nil {
		return nil, 0, fmt.Errorf("decoding the Arrow result: %w", err)
	}
	return rr, it.TotalRows, nil
}

// Arrow IPC framing. BigQuery sends each ArrowRecordBatch as one encapsulated
// RecordBatch message, to be read after the session's serialized schema;
// bq.NewArrowIteratorReader concatenates them into one IPC stream.
// The emulator (goccy/bigquery-emulator v0.8.1) instead sends each batch as
// a complete IPC stream of its own (schema message, record batch, end of
// stream), which that concatenation cuts short: ipc.NewReader sees the
// batch's end-of-stream marker and returns no rows. messagesOnly strips a
// batch to its RecordBatch (and dictionary) messages when it starts with a
// schema message, and leaves BigQuery's framing untouched, so the documented
// reader path works on both. No value is changed.

// The emulator's serialized session schema is likewise a whole stream
// (schema, an empty record batch, end of stream) where BigQuery sends the
// schema message alone; schemaOnly keeps the first message.

// framedIterator adapts an ArrowIterator's batches to BigQuery's framing.
type framedIterator struct {
	bq.ArrowIterator
}

func (it framedIterator) SerializedArrowSchema() []byte {
	return schemaOnly(it.ArrowIterator.SerializedArrowSchema())
}

// schemaOnly returns the first IPC message of data (the schema).
func schemaOnly(data []byte) []byte {
	n, err := messageSize(data)
	if err != nil || n == 0 || n >= len(data) {
		return data
	}
	return data[:n]
}

func (it framedIterator) Next() (*bq.ArrowRecordBatch, error) {
	b, err := it.ArrowIterator.Next()
	if err != nil {
		return nil, err
	}
	data, err := messagesOnly(b.Data)
	if err != nil {
		return nil, fmt.Errorf("decoding an Arrow batch: %w", err)
	}
	out := *b
	out.Data = data
	return &out, nil
}

const ipcContinuation = 0xFFFFFFFF

// messagesOnly returns data without a leading schema message and a trailing
// end-of-stream marker, when it has them.
func messagesOnly(data []byte) ([]byte, error) {
	mr := ipc.NewMessageReader(bytes.NewReader(data))
	defer mr.Release()
	first, err := mr.Message()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		return nil, err
	}
	if first.Type() != ipc.MessageSchema {
		return data, nil
	}
	var out []byte
	off := 0
	for off < len(data) {
		n, err := messageSize(data[off:])
		if err != nil {
			return nil, err
		}
		if n == 0 { // end of stream
			break
		}
		if off > 0 { // every message after the leading schema
			out = append(out, data[off:off+n]...)
		}
		off += n
	}
	return out, nil
}

// messageSize reads the framing of the IPC message at the start of b and
// returns the bytes it spans (prefix, metadata and body); 0 means the
// end-of-stream marker.
func messageSize(b []byte) (int, error) {
	if len(b) < 8 {
		return 0, io.ErrUnexpectedEOF
	}
	pos := 0
	if binary.LittleEndian.Uint32(b) == ipcContinuation {
		pos = 4
	}
	meta := int32(binary.LittleEndian.Uint32(b[pos:]))
	pos += 4
	if meta == 0 {
		return 0, nil
	}
	if meta < 0 || pos+int(meta) > len(b) {
		return 0, fmt.Errorf("bad IPC message length %d", meta)
	}
	mr := ipc.NewMessageReader(bytes.NewReader(b))
	defer mr.Release()
	msg, err := mr.Message()
	if err != nil {
		return 0, err
	}
	total := pos + int(meta) + int(msg.BodyLen())
	if total > len(b) {
		return 0, io.ErrUnexpectedEOF
	}
	return total, nil
}
