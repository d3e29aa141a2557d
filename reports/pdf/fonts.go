package pdf

import (
	"embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

//go:embed fonts/*.ttf
var fontFiles embed.FS

// face is one embedded font: the main one (DejaVu) or a fallback for the
// scripts it lacks, in the order fonts/README.md gives.
type face struct {
	family string // the family name in the PDF
	file   string
	bold   string // file of the bold face; "" = the regular one serves
}

var faces = []face{
	{"dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"},
	{"droid", "DroidSansFallbackFull.ttf", ""},
	{"nanum", "NanumSquareR.ttf", ""},
	{"notothai", "NotoSansThai-Regular.ttf", ""},
	{"lohit", "Lohit-Devanagari.ttf", ""},
}

// replacement is printed for a character no embedded font has.
const replacement = '\uFFFD'

// fontFile is one embedded file: its bytes (each document gets its own
// copy: gofpdf writes into the slice it is given) and its parsed tables.
type fontFile struct {
	data []byte
	sfnt *sfnt.Font
	upm  float64
}

// fontTable is every face's files, read and parsed once: they never change.
type fontTable struct {
	regular, bold []*fontFile // by face; bold[i] == regular[i] without a bold file
}

var fonts = sync.OnceValues(func() (*fontTable, error) {
	t := &fontTable{}
	load := func(name string) (*fontFile, error) {
		b, err := fontFiles.ReadFile("fonts/" + name)
		if err != nil {
			return nil, fmt.Errorf("reading font %s: %w", name, err)
		}
		p, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("parsing font %s: %w", name, err)
		}
		return &fontFile{data: b, sfnt: p, upm: float64(p.UnitsPerEm())}, nil
	}
	for _, f := range faces {
		r, err := load(f.file)
		if err != nil {
			return nil, err
		}
		b := r
		if f.bold != "" {
			if b, err = load(f.bold); err != nil {
				return nil, err
			}
		}
		t.regular, t.bold = append(t.regular, r), append(t.bold, b)
	}
	return t, nil
})

// file is face i's regular or bold file.
func (t *fontTable) file(i int, bold bool) *fontFile {
	if bold {
		return t.bold[i]
	}
	return t.regular[i]
}

// faceOf is the first face that has a glyph for r, or -1.
func (t *fontTable) faceOf(r rune, buf *sfnt.Buffer) int {
	if r > 0xFFFF { // gofpdf's width tables stop at the Basic Multilingual Plane
		return -1
	}
	for i, f := range t.regular {
		if g, err := f.sfnt.GlyphIndex(buf, r); err == nil && g != 0 {
			return i
		}
	}
	return -1
}

// advance is the width of r in face i in em (1 = the font size).
func (t *fontTable) advance(i int, bold bool, r rune, buf *sfnt.Buffer) float64 {
	f := t.file(i, bold)
	g, err := f.sfnt.GlyphIndex(buf, r)
	if err != nil || g == 0 {
		return 0.5 // gofpdf's width for a glyph the font lacks
	}
	a, err := f.sfnt.GlyphAdvance(buf, g, fixed.I(int(f.upm)), font.HintingNone)
	if err != nil {
		return 0.5
	}
	return float64(a) / 64 / f.upm
}

// run is a piece of text set in one face.
type run struct {
	face int
	text string
}

// runs splits s into maximal pieces each set in one face; a control
// character becomes a space and a character no face has U+FFFD (in the
// main face).
func (t *fontTable) runs(s string, buf *sfnt.Buffer) []run {
	var out []run
	var cur strings.Builder
	curFace := -1
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			r = replacement
		case r < ' ' || r == 0x7f:
			r = ' '
		}
		f := curFace
		if r != ' ' || f < 0 { // a space joins the run it is in
			if f = t.faceOf(r, buf); f < 0 {
				f, r = 0, replacement
			}
		}
		if f != curFace && cur.Len() > 0 {
			out = append(out, run{curFace, cur.String()})
			cur.Reset()
		}
		curFace = f
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, run{curFace, cur.String()})
	}
	return out
}
