package bigquery

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/partnerq/pqi/transforms/arrowtest"
)

// bqRecord builds a record shaped like BigQuery's Storage Read API output:
// NUMERIC as decimal128(38,9), TIMESTAMP as timestamp[us, UTC], DATE as
// date32, every field nullable.
func bqRecord(t *testing.T, alloc memory.Allocator, amounts []decimal128.Num, amountValid []bool, days []arrow.Date32, ts []arrow.Timestamp, tsValid []bool) arrow.Record {
	t.Helper()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 38, Scale: 9}, Nullable: true},
		{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(alloc, sc)
	defer b.Release()
	b.Field(0).(*array.Decimal128Builder).AppendValues(amounts, amountValid)
	b.Field(1).(*array.Date32Builder).AppendValues(days, nil)
	b.Field(2).(*array.TimestampBuilder).AppendValues(ts, tsValid)
	return b.NewRecord()
}

var storedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}, Nullable: true,
		Metadata: arrow.NewMetadata([]string{"description"}, []string{"Deal amount in USD."})},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: false},
}, nil)

func TestToStoredCastsBigQueryTypesBack(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	// 1234.56 USD at scale 9 is 1234560000000; -0.01 is -10000000.
	at := time.Date(2026, 9, 30, 23, 59, 59, 123456000, time.UTC)
	in := bqRecord(t, alloc,
		[]decimal128.Num{decimal128.FromI64(1234560000000), decimal128.FromI64(-10000000), {}},
		[]bool{true, true, false},
		[]arrow.Date32{20726, 0, -1},
		[]arrow.Timestamp{arrow.Timestamp(at.UnixMicro()), 0, 0}, []bool{true, true, false})
	defer in.Release()
	out, err := toStored(alloc, in, storedSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if !out.Schema().Equal(storedSchema) {
		t.Fatalf("schema\n%v\nwant\n%v", out.Schema(), storedSchema)
	}
	if md := out.Schema().Field(1).Metadata; md.FindKey("description") < 0 {
		t.Error("column description lost")
	}
	amt := out.Column(1).(*array.Decimal128)
	if amt.Value(0) != decimal128.FromI64(123456) || amt.Value(1) != decimal128.FromI64(-1) || !amt.IsNull(2) {
		t.Errorf("amounts %v, want [123456 -1 null] cents", amt)
	}
	day := out.Column(2).(*array.Date32)
	if day.Value(0) != 20726 || day.Value(0).FormattedString() != "2026-09-30" || day.Value(2).FormattedString() != "1969-12-31" {
		t.Errorf("dates %v", day)
	}
	ts := out.Column(0).(*array.Timestamp)
	if got := ts.Value(0).ToTime(arrow.Microsecond); !got.Equal(at) || !ts.IsNull(2) || ts.Value(1) != 0 {
		t.Errorf("timestamps %v, want %s, epoch, null", ts, at)
	}
}

func TestToStoredRefusesWhatTheSchemaCannotHold(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	day := []arrow.Date32{1}
	ts := []arrow.Timestamp{0}
	for _, c := range []struct {
		name    string
		rec     func() arrow.Record
		wantErr string
	}{
		{"sub-cent amount", func() arrow.Record {
			return bqRecord(t, alloc, []decimal128.Num{decimal128.FromI64(1234567)}, nil, day, ts, nil) // 0.001234567
		}, "does not fit scale 2"},
		{"amount beyond 18 digits", func() arrow.Record {
			n, _ := decimal128.FromString("1e17", 38, 9) // 10^17 USD: 20 digits at scale 2
			return bqRecord(t, alloc, []decimal128.Num{n}, nil, day, ts, nil)
		}, "does not fit precision 18"},
		{"null in a required column", func() arrow.Record {
			sc := arrow.NewSchema([]arrow.Field{
				{Name: "amount", Type: &arrow.Decimal128Type{Precision: 38, Scale: 9}, Nullable: true},
				{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
				{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
			}, nil)
			b := array.NewRecordBuilder(alloc, sc)
			defer b.Release()
			b.Field(0).AppendNull()
			b.Field(1).AppendNull()
			b.Field(2).AppendNull()
			return b.NewRecord()
		}, "required but BigQuery returned 1 nulls"},
	} {
		rec := c.rec()
		out, err := toStored(alloc, rec, storedSchema)
		rec.Release()
		if err == nil {
			out.Release()
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: error %q, want it to say %q", c.name, err, c.wantErr)
		}
	}
}

func TestToStoredConvertsTimestampUnitsAndZones(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	want := arrow.Field{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}}
	for _, typ := range []*arrow.TimestampType{
		{Unit: arrow.Nanosecond, TimeZone: "UTC"},
		{Unit: arrow.Microsecond, TimeZone: "Etc/UTC"},
		{Unit: arrow.Microsecond},
	} {
		b := array.NewTimestampBuilder(alloc, typ)
		v, _ := arrow.TimestampFromTime(at, typ.Unit)
		b.Append(v)
		col := b.NewArray()
		b.Release()
		out, err := convertColumn(alloc, col, want)
		col.Release()
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		if got := out.(*array.Timestamp).Value(0).ToTime(arrow.Microsecond); !got.Equal(at) || !arrow.TypeEqual(out.DataType(), want.Type) {
			t.Errorf("%s: %s as %s, want %s as %s", typ, got, out.DataType(), at, want.Type)
		}
		out.Release()
	}
	b := array.NewTimestampBuilder(alloc, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Europe/Paris"})
	b.Append(0)
	col := b.NewArray()
	b.Release()
	defer col.Release()
	if out, err := convertColumn(alloc, col, want); err == nil {
		out.Release()
		t.Error("a timestamp in Europe/Paris was relabelled UTC")
	}
}

// The emulator stores NUMERIC through float64; float noise beyond the cents
// is rounded away, anything more is an error.
func TestNearCent(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"28559926.739999998", "28559926.74", true},
		{"-28559926.739999998", "-28559926.74", true},
		{"12.340000001", "12.34", true},
		{"12.345", "", false},
		{"12.3400011", "", false},
	} {
		v, err := decimal128.FromString(c.in, 38, 9)
		if err != nil {
			t.Fatal(err)
		}
		got, err := nearCent(v, 9, 2)
		if (err == nil) != c.ok {
			t.Errorf("nearCent(%s): error %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if c.ok && got.ToString(2) != c.want {
			t.Errorf("nearCent(%s) = %s, want %s", c.in, got.ToString(2), c.want)
		}
	}
}
