package pdf

import "math"

// RGB is a colour, 0-255 per channel.
type RGB struct{ R, G, B int }

// Neutral colours of text and rules.
var (
	Ink   = RGB{26, 26, 26}    // text
	Grey  = RGB{100, 100, 100} // secondary text, axes labels
	Rule  = RGB{170, 170, 170} // hairlines and axes
	Grid  = RGB{225, 225, 225} // gridlines
	Shade = RGB{242, 242, 242} // alternate table rows
	White = RGB{255, 255, 255}
)

// The Okabe–Ito palette: distinguishable with every common colour-vision
// deficiency. Series use them in Palette order, each paired with the
// marker shape of the same index, so they separate in greyscale too.
var (
	Orange     = RGB{0xE6, 0x9F, 0x00}
	SkyBlue    = RGB{0x56, 0xB4, 0xE9}
	Green      = RGB{0x00, 0x9E, 0x73}
	Yellow     = RGB{0xF0, 0xE4, 0x42}
	Blue       = RGB{0x00, 0x72, 0xB2}
	Vermillion = RGB{0xD5, 0x5E, 0x00}
	Purple     = RGB{0xCC, 0x79, 0xA7}
	Black      = RGB{0, 0, 0}
)

// Palette is the series order: dark and light alternate so neighbours
// differ in greyscale.
var Palette = []RGB{Blue, Orange, Green, Vermillion, SkyBlue, Purple, Yellow, Black}

// Good and Bad mark improvement and decline (blue and vermillion differ
// for every colour vision and in greyscale).
var (
	Good = Blue
	Bad  = Vermillion
)

// Sequential is the colour of t in 0..1 on a single-hue ramp from near
// white to dark blue whose lightness falls steadily, so it reads the same
// in greyscale.
func Sequential(t float64) RGB {
	t = math.Max(0, math.Min(1, t))
	lo, hi := [3]float64{247, 251, 255}, [3]float64{8, 48, 107}
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(lo[i] + (hi[i]-lo[i])*t))
	}
	return RGB{c[0], c[1], c[2]}
}

// On is the text colour readable on background c: white on dark, ink on
// light.
func On(c RGB) RGB {
	if 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 140 {
		return White
	}
	return Ink
}
