package warehouse

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// BigQuery's Storage Read API returns Arrow in BigQuery's own types:
// NUMERIC as decimal128(38, 9), TIMESTAMP as timestamp[us, UTC], DATE as
// date32, and every field nullable. toStored turns such a record back into
// the table's stored Arrow schema (schema.Table.StoredArrow): decimals are
// rescaled to (18, 2) (a value with more than float noise beyond the cents is
// an error, never rounded; see nearCent), timestamps are re-labelled or converted to microseconds in UTC,
// and a column the schema requires must hold no nulls.

// toStored converts rec, whose columns are found by name, to want. The
// caller owns the returned record.
func toStored(alloc memory.Allocator, rec arrow.Record, want *arrow.Schema) (arrow.Record, error) {
	cols := make([]arrow.Array, 0, want.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, f := range want.Fields() {
		idx := rec.Schema().FieldIndices(f.Name)
		if len(idx) != 1 {
			return nil, fmt.Errorf("column %q missing from the BigQuery result", f.Name)
		}
		c, err := convertColumn(alloc, rec.Column(idx[0]), f)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", f.Name, err)
		}
		cols = append(cols, c)
	}
	return array.NewRecord(want, cols, rec.NumRows()), nil
}

// convertColumn returns col as field f's type (a new reference either way).
func convertColumn(alloc memory.Allocator, col arrow.Array, f arrow.Field) (arrow.Array, error) {
	if !f.Nullable && col.NullN() > 0 {
		return nil, fmt.Errorf("required but BigQuery returned %d nulls", col.NullN())
	}
	if arrow.TypeEqual(col.DataType(), f.Type) {
		col.Retain()
		return col, nil
	}
	switch want := f.Type.(type) {
	case *arrow.Decimal128Type:
		in, ok := col.(*array.Decimal128)
		if !ok {
			return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
		}
		return rescaleDecimals(alloc, in, want)
	case *arrow.TimestampType:
		in, ok := col.(*array.Timestamp)
		if !ok {
			return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
		}
		return convertTimestamps(alloc, in, want)
	case *arrow.StringType:
		if ls, ok := col.(*array.LargeString); ok {
			b := array.NewStringBuilder(alloc)
			defer b.Release()
			for i := 0; i < ls.Len(); i++ {
				if ls.IsNull(i) {
					b.AppendNull()
				} else {
					b.Append(ls.Value(i))
				}
			}
			return b.NewArray(), nil
		}
	}
	return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
}

func rescaleDecimals(alloc memory.Allocator, in *array.Decimal128, want *arrow.Decimal128Type) (arrow.Array, error) {
	from := in.DataType().(*arrow.Decimal128Type).Scale
	b := array.NewDecimal128Builder(alloc, want)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		v, err := in.Value(i).Rescale(from, want.Scale)
		if err != nil {
			v, err = nearCent(in.Value(i), from, want.Scale)
		}
		if err != nil {
			return nil, fmt.Errorf("value %s does not fit scale %d: %w", in.Value(i).ToString(from), want.Scale, err)
		}
		if !v.FitsInPrecision(want.Precision) {
			return nil, fmt.Errorf("value %s does not fit precision %d", v.ToString(want.Scale), want.Precision)
		}
		b.UnsafeAppend(v)
	}
	return b.NewArray(), nil
}

func convertTimestamps(alloc memory.Allocator, in *array.Timestamp, want *arrow.TimestampType) (arrow.Array, error) {
	got := in.DataType().(*arrow.TimestampType)
	if got.TimeZone != want.TimeZone && got.TimeZone != "" && got.TimeZone != "UTC" && got.TimeZone != "Etc/UTC" && got.TimeZone != "+00:00" {
		return nil, fmt.Errorf("timestamps in zone %q, want %q", got.TimeZone, want.TimeZone)
	}
	if got.Unit == want.Unit {
		// Same instants, same unit: only the zone label differs.
		d := array.NewData(want, in.Len(), in.Data().Buffers(), nil, in.NullN(), in.Data().Offset())
		defer d.Release()
		return array.MakeFromData(d), nil
	}
	b := array.NewTimestampBuilder(alloc, want)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		t := in.Value(i).ToTime(got.Unit)
		v, err := arrow.TimestampFromTime(t, want.Unit)
		if err != nil {
			return nil, err
		}
		if v.ToTime(want.Unit) != t {
			return nil, fmt.Errorf("timestamp %s is finer than %s", t, want.Unit)
		}
		b.UnsafeAppend(v)
	}
	return b.NewArray(), nil
}

// Arrow IPC framing. BigQuery sends each ArrowRecordBatch as one encapsulated
// RecordBatch message, to be read after the session's serialized schema;
// bigquery.NewArrowIteratorReader concatenates them into one IPC stream.
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
	bigquery.ArrowIterator
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

func (it framedIterator) Next() (*bigquery.ArrowRecordBatch, error) {
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

// ipcReader decodes an Arrow IPC stream with the given allocator.
func ipcReader(r io.Reader, alloc memory.Allocator) (array.RecordReader, error) {
	rr, err := ipc.NewReader(r, ipc.WithAllocator(alloc))
	if err != nil {
		return nil, err
	}
	return rr, nil
}

// nearCent accepts a value whose digits beyond scale to are float noise
// (below 10^-6 of a unit) and rounds it to scale to. Real BigQuery NUMERIC
// is exact and never needs this; the emulator stores NUMERIC through
// float64, so amounts above about 10^7 come back as e.g. 28559926.739999998
// (docs/bigquery.md, emulator gaps). Anything further from a cent is an
// error: the value did not come from a DECIMAL(18,2) column.
func nearCent(v decimal128.Num, from, to int32) (decimal128.Num, error) {
	if from <= to {
		return v, fmt.Errorf("cannot rescale from %d to %d", from, to)
	}
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(from-to)), nil)
	n := v.BigInt()
	q, r := new(big.Int).QuoRem(n, unit, new(big.Int)) // r has n's sign
	twice := new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2))
	if twice.Cmp(unit) >= 0 { // round half away from zero
		r.Sub(unit, new(big.Int).Abs(r))
		q.Add(q, big.NewInt(int64(n.Sign())))
	}
	tolerance := new(big.Int).Quo(unit, big.NewInt(1_000_000)) // 10^-6 of a unit of scale to
	if new(big.Int).Abs(r).Cmp(tolerance) > 0 {
		return v, fmt.Errorf("has digits beyond %d decimals", to)
	}
	return decimal128.FromBigInt(q), nil
}
