package arrowtest

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// Columns reads every record of rr into columns by name: numbers (ints,
// floats, dates as days, bools as 0/1) in num and text in str, a null as
// NaN and "" in both.
func Columns(rr array.RecordReader) (num map[string][]float64, str map[string][]string, err error) {
	num, str = map[string][]float64{}, map[string][]string{}
	for rr.Next() {
		rec := rr.Record()
		for i, f := range rec.Schema().Fields() {
			col := rec.Column(i)
			for r := 0; r < int(rec.NumRows()); r++ {
				if col.IsNull(r) {
					num[f.Name] = append(num[f.Name], math.NaN())
					str[f.Name] = append(str[f.Name], "")
					continue
				}
				switch a := col.(type) {
				case *array.Float64:
					num[f.Name] = append(num[f.Name], a.Value(r))
				case *array.Int64:
					num[f.Name] = append(num[f.Name], float64(a.Value(r)))
				case *array.Date32:
					num[f.Name] = append(num[f.Name], float64(a.Value(r)))
				case *array.Boolean:
					v := 0.0
					if a.Value(r) {
						v = 1
					}
					num[f.Name] = append(num[f.Name], v)
				case *array.String:
					str[f.Name] = append(str[f.Name], a.Value(r))
				}
			}
		}
	}
	return num, str, rr.Err()
}
