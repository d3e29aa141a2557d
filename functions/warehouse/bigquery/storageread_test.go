package bigquery

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The emulator frames each batch as a whole IPC stream; BigQuery sends a
// bare record batch message. Both must decode to the same rows.
func TestMessagesOnlyHandlesBothFramings(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := array.NewRecordBuilder(alloc, sc)
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"a", "b"}, []bool{true, false})
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()
	var stream bytes.Buffer
	w := ipc.NewWriter(&stream, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(alloc))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	full := stream.Bytes()
	schemaLen, err := messageSize(full)
	if err != nil {
		t.Fatal(err)
	}
	bare := full[schemaLen : len(full)-8] // BigQuery's framing: the batch message alone
	if got, err := messagesOnly(bare); err != nil || !bytes.Equal(got, bare) {
		t.Fatalf("bare batch changed: %v", err)
	}
	got, err := messagesOnly(full)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, bare) {
		t.Fatalf("stripped stream is %d bytes, want the %d-byte batch message", len(got), len(bare))
	}
	// The emulator's session schema is a whole stream too; BigQuery's is the
	// schema message alone.
	if got := schemaOnly(full); !bytes.Equal(got, full[:schemaLen]) {
		t.Errorf("schemaOnly kept %d bytes, want %d", len(got), schemaLen)
	}
	if got := schemaOnly(full[:schemaLen]); !bytes.Equal(got, full[:schemaLen]) {
		t.Error("schemaOnly changed a bare schema message")
	}
	// schema + stripped batch reads back as the record.
	r, err := ipc.NewReader(bytes.NewReader(append(append([]byte(nil), full[:schemaLen]...), got...)), ipc.WithAllocator(alloc))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	if !r.Next() || !array.RecordEqual(r.Record(), rec) {
		t.Fatalf("decoded %v, want %v", r.Record(), rec)
	}
}
