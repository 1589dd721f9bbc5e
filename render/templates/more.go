package templates

import (
	"math"

	"github.com/framecast/framecast/schemas"
)

// The templates added for agents' common briefs: a lower third over other clips, a title card and a logo
// sting. Their data fields are documented in schemas.Templates.

func init() {
	register(&Template{
		Name: "lower-third",
		// An overlay: no background, so the clips below (a speaker, a scene) stay visible.
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			w, h := 640*u, 150*u
			left := d.Str("position", "left") != "right"
			x0 := 80 * u // the bar's outer edge
			if !left {
				x0 = c.W - 80*u - w
			}
			y := c.H*0.8 - h/2 // the bar's top
			in := math.Min(0.6, dur/4)
			out := math.Min(0.4, dur/5)
			slide := func(cl schemas.Clip, delay float64) schemas.Clip {
				s := anim("slideIn", in, 0, "easeOutCubic")
				s.Direction = schemas.DirectionRight
				if !left {
					s.Direction = schemas.DirectionLeft
				}
				s.Distance = f(60 * u)
				cl = with(cl, s, anim("fadeIn", in, 0, ""), anim("fadeOut", out, dur-delay-out, ""))
				return cl
			}
			bar := rectClip(base(0, dur, x0+w/2, y+h/2, w, h), p.Background, 10*u)
			bar.Base().Opacity = f(0.88)
			stripeX := x0 + 6*u
			textX := x0 + 36*u
			if !left {
				stripeX = x0 + w - 6*u
			}
			stripe := rectClip(base(0, dur, stripeX, y+h/2, 12*u, h), d.Str("color", p.Accent), 0)
			name := textClip(d.Str("name", ""), base(0.15, dur-0.15, textX, y+h*0.34, w-60*u, 0), 54*u, 700, p.Text)
			name.Base().Transform.Anchor = schemas.AnchorLeft
			title := textClip(d.Str("title", ""), base(0.3, dur-0.3, textX, y+h*0.72, w-60*u, 0), 34*u, 400, p.Muted)
			title.Base().Transform.Anchor = schemas.AnchorLeft
			for _, t := range []schemas.Clip{name, title} {
				t.Base().Style.TextAlign = schemas.TextAlignLeft
			}
			return []schemas.Clip{slide(bar, 0), slide(stripe, 0), slide(name, 0.15), slide(title, 0.3)}
		},
	})
	register(&Template{
		Name: "title-card",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			out := []schemas.Clip{background(p, c, dur)}
			if k := d.Str("kicker", ""); k != "" {
				kicker := textClip(k, base(0.1, dur-0.1, c.W/2, c.H*0.33, 0, 0), 40*u, 700, p.Accent)
				kicker.Base().Style.LetterSpacing = f(6 * u)
				out = append(out, with(kicker, anim("fadeIn", 0.5, 0, "")))
			}
			title := with(textClip(d.Str("title", "Title"), base(0.25, dur-0.25, c.W/2, c.H*0.46, c.W*0.85, 0), 120*u, 800, p.Text),
				anim("slideIn", 0.7, 0, "easeOutCubic"), anim("fadeIn", 0.7, 0, ""))
			title.Base().Animations[0].Direction = schemas.DirectionUp
			title.Base().Animations[0].Distance = f(50 * u)
			line := rectClip(base(0.6, dur-0.6, c.W/2, c.H*0.57, 220*u, 8*u), p.Accent, 4*u)
			grow := anim("scale", 0.6, 0, "easeOutCubic")
			grow.From = &schemas.AnimValue{Pair: &[2]float64{0, 1}}
			grow.To = &schemas.AnimValue{Pair: &[2]float64{1, 1}}
			out = append(out, title, with(line, grow))
			if s := d.Str("subtitle", ""); s != "" {
				out = append(out, with(textClip(s, base(0.9, dur-0.9, c.W/2, c.H*0.65, c.W*0.8, 0), 48*u, 400, p.Muted), anim("fadeIn", 0.6, 0, "")))
			}
			return out
		},
	})
	register(&Template{
		Name: "logo-sting",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			size := 280 * u
			cy := c.H * 0.45
			ring := schemas.NewClip(&schemas.CircleClip{BaseClip: base(0, math.Min(dur, 1.2), c.W/2, cy, 0, 0), Size: f(size * 1.3)})
			ring.Base().Style = &schemas.Style{Fill: schemas.SolidPaint("rgba(0,0,0,0)"), Stroke: schemas.SolidPaint(p.Accent), StrokeWidth: f(10 * u)}
			burst := anim("scale", math.Min(dur, 1.2), 0, "easeOutCubic")
			burst.From, burst.To = &schemas.AnimValue{Number: f(0.4)}, &schemas.AnimValue{Number: f(1.6)}
			ring = with(ring, burst, anim("fadeOut", math.Min(dur, 1.2)*0.7, math.Min(dur, 1.2)*0.3, ""))
			out := []schemas.Clip{background(p, c, dur), ring}
			if logo, ok := d.Media("logo"); ok {
				img := imageClip(logo, base(0.1, dur-0.1, c.W/2, cy, size, size), 0)
				img.Base().Style = &schemas.Style{ObjectFit: schemas.ObjectFitContain}
				out = append(out, with(img, anim("zoomIn", 0.6, 0, "easeOutBack")))
			} else {
				disc := schemas.NewClip(&schemas.CircleClip{BaseClip: base(0.1, dur-0.1, c.W/2, cy, 0, 0), Size: f(size)})
				disc.Base().Style = &schemas.Style{Fill: schemas.SolidPaint(p.Accent)}
				out = append(out, with(disc, anim("zoomIn", 0.6, 0, "easeOutBack")),
					with(textClip(d.Str("text", ""), base(0.1, dur-0.1, c.W/2, cy, size*0.8, 0), 110*u, 900, p.Background), anim("zoomIn", 0.6, 0, "easeOutBack")))
			}
			if t := d.Str("tagline", ""); t != "" {
				start := math.Min(0.8, dur/2)
				out = append(out, with(textClip(t, base(start, dur-start, c.W/2, cy+size*0.5+90*u, c.W*0.8, 0), 56*u, 600, p.Text), anim("fadeIn", 0.5, 0, "")))
			}
			return out
		},
	})
}
