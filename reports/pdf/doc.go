// Package pdf is what the reports share: a document with the embedded
// Unicode fonts (fonts/README.md), page flow with sections and outline
// entries, text that falls back to the font that has each character,
// tables that break across pages, and vector chart primitives in one
// colour-blind-safe palette. It draws with gofpdf and knows nothing of
// partners.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/sfnt"
)

// Size is a page size in millimetres.
type Size struct {
	Name string
	W, H float64
}

// The page sizes a report can be set for.
var (
	A4     = Size{"A4", 210, 297}
	Letter = Size{"Letter", 215.9, 279.4}
)

// ParseSize reads a page size name: a4 or letter.
func ParseSize(s string) (Size, error) {
	switch strings.ToLower(s) {
	case "a4":
		return A4, nil
	case "letter", "us-letter":
		return Letter, nil
	}
	return Size{}, fmt.Errorf("page size %q is not known; use a4 or letter", s)
}

// Meta is the document's metadata and its running footer.
type Meta struct {
	Title, Subject, Author, Creator, Keywords string
	Date                                      time.Time // creation and modification date: set it from the data, not the clock, for byte-identical output
	Footer                                    string    // left of the page number on every page
}

// Layout in millimetres and points.
const (
	Margin     = 15.0 // page margin on every side
	footerGap  = 8.0  // space the footer takes above the bottom margin
	BodySize   = 9.0  // body text, points
	SmallSize  = 7.5  // table and chart text, points
	TitleSize  = 16.0 // section titles
	HeadSize   = 11.0 // headings within a section
	lineFactor = 1.35 // line height / font size
	ptToMM     = 25.4 / 72
)

// LineHeight is the height of a line of text of size pt, in millimetres.
func LineHeight(pt float64) float64 { return pt * ptToMM * lineFactor }

// Doc is one document being written. Y is the cursor: the top of the next
// thing placed in the page flow.
type Doc struct {
	f       *gofpdf.Fpdf
	t       *fontTable
	buf     sfnt.Buffer
	added   map[string]bool
	font    string // the font last set in the page content, "" = none yet
	size    Size
	section string
	Y       float64
}

// New starts a document of the given page size.
func New(size Size, m Meta) (*Doc, error) {
	t, err := fonts()
	if err != nil {
		return nil, err
	}
	f := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: gofpdf.SizeType{Wd: size.W, Ht: size.H}})
	f.SetMargins(Margin, Margin, Margin)
	f.SetAutoPageBreak(false, 0) // the flow breaks pages itself (Need)
	f.SetCatalogSort(true)
	f.SetCreationDate(m.Date)
	f.SetModificationDate(m.Date)
	f.SetTitle(m.Title, true)
	f.SetSubject(m.Subject, true)
	f.SetAuthor(m.Author, true)
	f.SetCreator(m.Creator, true)
	f.SetKeywords(m.Keywords, true)
	f.AliasNbPages("{nb}")
	d := &Doc{f: f, t: t, added: map[string]bool{}, size: size}
	f.SetFooterFunc(func() {
		y := size.H - Margin
		d.Rule(y - LineHeight(SmallSize))
		d.Text(Margin, y, d.Fit(m.Footer, d.Width()-30, SmallSize, false), Style{Size: SmallSize, Color: Grey})
		d.Text(size.W-Margin, y, fmt.Sprintf("Page %d of {nb}", f.PageNo()), Style{Size: SmallSize, Color: Grey, Align: Right})
	})
	return d, nil
}

// Left, Right and Width are the content area's edges and width; Bottom
// is the lowest y the flow may reach.
func (d *Doc) Left() float64   { return Margin }
func (d *Doc) Right() float64  { return d.size.W - Margin }
func (d *Doc) Width() float64  { return d.size.W - 2*Margin }
func (d *Doc) Bottom() float64 { return d.size.H - Margin - footerGap }

// Pages is the number of pages so far.
func (d *Doc) Pages() int { return d.f.PageCount() }

// Section starts a section on a new page with its title and an outline
// entry.
func (d *Doc) Section(title string) {
	d.page(title)
	d.f.Bookmark(title, 0, d.Y)
	d.Y += LineHeight(TitleSize)
	d.Text(d.Left(), d.Y-1.5, title, Style{Size: TitleSize, Bold: true, Color: Ink})
	d.Rule(d.Y)
	d.Y += 3
}

// Need breaks the page when fewer than h millimetres are left in the
// flow; the new page repeats the section title, marked continued. It
// reports whether it broke the page.
func (d *Doc) Need(h float64) bool {
	if d.Y+h <= d.Bottom() {
		return false
	}
	d.f.AddPage()
	d.font = ""
	d.Y = Margin + LineHeight(HeadSize)
	d.Text(d.Left(), d.Y-1.5, d.section+" (continued)", Style{Size: HeadSize, Bold: true, Color: Grey})
	d.Rule(d.Y)
	d.Y += 3
	return true
}

// Heading places a heading in the flow, kept with at least keep
// millimetres of what follows it.
func (d *Doc) Heading(s string, keep float64) {
	h := LineHeight(HeadSize)
	d.Need(h + keep + 2)
	d.Y += 2
	d.Text(d.Left(), d.Y+h-1.8, s, Style{Size: HeadSize, Bold: true, Color: Ink})
	d.Y += h + 1
}

// Paragraph places wrapped text across the content width in the flow.
func (d *Doc) Paragraph(s string, st Style) {
	if st.Size == 0 {
		st.Size = BodySize
	}
	lh := LineHeight(st.Size)
	for _, l := range d.Lines(s, d.Width(), st.Size, st.Bold) {
		d.Need(lh)
		d.Text(d.Left(), d.Y+lh*0.75, l, st)
		d.Y += lh
	}
	d.Y += lh * 0.4
}

// Gap moves the flow down by h millimetres.
func (d *Doc) Gap(h float64) { d.Y += h }

// Rule draws a hairline across the content width at y.
func (d *Doc) Rule(y float64) {
	d.f.SetDrawColor(Rule.R, Rule.G, Rule.B)
	d.f.SetLineWidth(0.2)
	d.f.Line(d.Left(), y, d.Right(), y)
}

// Output finishes the document and writes it to w.
func (d *Doc) Output(w io.Writer) error {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return fmt.Errorf("writing the PDF: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Err is the first drawing error, if any.
func (d *Doc) Err() error { return d.f.Error() }

// setFont selects face i in the page content, adding it to the document
// the first time (so a document embeds only the fonts it uses).
func (d *Doc) setFont(i int, bold bool, pt float64) {
	fc := faces[i]
	style := ""
	if bold && fc.bold != "" {
		style = "B"
	}
	key := fmt.Sprintf("%s/%s/%.2f", fc.family, style, pt)
	if key == d.font {
		return
	}
	if fam := fc.family + style; !d.added[fam] {
		d.f.AddUTF8FontFromBytes(fc.family, style, bytes.Clone(d.t.file(i, style == "B").data))
		d.added[fam] = true
	}
	d.f.SetFont(fc.family, style, pt)
	d.font = key
}

// Page starts a page without a title (a cover) that still has an outline
// entry.
func (d *Doc) Page(outline string) {
	d.page(outline)
	d.f.Bookmark(outline, 0, 0)
}

// page starts a page of section s, the cursor at the top margin. A font
// is set first: gofpdf writes an outline entry's title in the encoding of
// the font in use.
func (d *Doc) page(s string) {
	d.section = s
	d.f.AddPage()
	d.font = ""
	d.Y = Margin
	d.setFont(0, false, BodySize)
}
