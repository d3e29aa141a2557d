package warehouse

import (
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/golang/snappy"
)

// arrow-go compresses Parquet pages with klauspost's snappy package, whose
// Encode is its "better" level: at 4,000 partners about 6% of an ingest's
// CPU, three times what golang/snappy's encoder (arrow v17's) took, for
// files half a percent smaller. s2's fast encoder is as quick but makes
// files a tenth larger. So pages are compressed with golang/snappy, as
// before arrow-go v18: the same format, the same files' sizes; decoding
// stays arrow-go's. compress.RegisterCodec is arrow-go's way to replace a
// codec, from an init.
func init() {
	c, err := compress.GetCodec(compress.Codecs.Snappy)
	if err != nil {
		panic(err)
	}
	compress.RegisterCodec(compress.Codecs.Snappy, goSnappy{c})
}

// goSnappy is arrow-go's snappy codec encoding with golang/snappy.
type goSnappy struct{ compress.Codec }

func (goSnappy) Encode(dst, src []byte) []byte { return snappy.Encode(dst, src) }

func (goSnappy) EncodeLevel(dst, src []byte, _ int) []byte { return snappy.Encode(dst, src) }
