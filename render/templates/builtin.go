package templates

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/schemas"
)

// Small constructors that keep the templates readable.

func f(v float64) *float64 { return &v }

func base(start, duration float64, x, y, w, h float64) schemas.BaseClip {
	b := schemas.BaseClip{Start: start, Duration: duration, Transform: &schemas.Transform{X: schemas.Pixels(x), Y: schemas.Pixels(y)}}
	if w > 0 {
		b.Transform.Width = schemas.Pixels(w)
	}
	if h > 0 {
		b.Transform.Height = schemas.Pixels(h)
	}
	return b
}

func textClip(s string, b schemas.BaseClip, size float64, weight int, color string) schemas.Clip {
	b.Style = &schemas.Style{FontSize: f(size), FontWeight: &schemas.FontWeight{Value: weight}, Fill: schemas.SolidPaint(color), FontFamily: "Arial"}
	return schemas.NewClip(&schemas.TextClip{BaseClip: b, Text: s})
}

func rectClip(b schemas.BaseClip, color string, radius float64) schemas.Clip {
	b.Style = &schemas.Style{Fill: schemas.SolidPaint(color)}
	if radius > 0 {
		b.Style.BorderRadius = &schemas.Corners{radius, radius, radius, radius}
	}
	return schemas.NewClip(&schemas.RectClip{BaseClip: b})
}

func imageClip(src schemas.MediaRef, b schemas.BaseClip, radius float64) schemas.Clip {
	if radius > 0 {
		b.Style = &schemas.Style{BorderRadius: &schemas.Corners{radius, radius, radius, radius}}
	}
	return schemas.NewClip(&schemas.ImageClip{BaseClip: b, Src: src})
}

func anim(typ string, duration, delay float64, easing string) schemas.Animation {
	return schemas.Animation{Type: schemas.AnimationType(typ), Duration: duration, Delay: delay, Easing: schemas.Easing(easing)}
}

func with(c schemas.Clip, anims ...schemas.Animation) schemas.Clip {
	c.Base().Animations = append(c.Base().Animations, anims...)
	return c
}

func background(p Palette, c Canvas, d float64) schemas.Clip {
	return rectClip(base(0, d, c.W/2, c.H/2, c.W, c.H), p.Background, 0)
}

// unit scales sizes written for a 1920×1080 canvas to the actual one.
func unit(c Canvas) float64 { return math.Min(c.W/1920, c.H/1080) }

func strOf(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case map[string]any:
		for _, k := range []string{"text", "title", "caption", "label"} {
			if t, ok := s[k].(string); ok {
				return t
			}
		}
	}
	return fmt.Sprint(v)
}

func init() {
	register(&Template{
		Name: "product-intro",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			out := []schemas.Clip{background(p, c, dur)}
			textX := c.W / 2
			if img, ok := d.Media("image"); ok {
				out = append(out, with(imageClip(img, base(0.2, dur-0.2, c.W*0.3, c.H/2, c.W*0.36, c.H*0.6), 24*u), anim("zoomIn", 0.8, 0, "easeOutBack")))
				textX = c.W * 0.68
			}
			out = append(out,
				with(textClip(d.Str("name", "Product"), base(0.4, dur-0.4, textX, c.H*0.4, 0, 0), 110*u, 800, p.Text), anim("slideIn", 0.7, 0, "easeOutCubic"), anim("fadeIn", 0.7, 0, "")),
				with(textClip(d.Str("tagline", ""), base(0.9, dur-0.9, textX, c.H*0.52, 0, 0), 48*u, 400, p.Muted), anim("fadeIn", 0.6, 0, "")),
			)
			if price := d.Str("price", ""); price != "" {
				out = append(out,
					with(rectClip(base(1.4, dur-1.4, textX, c.H*0.66, 260*u, 90*u), p.Accent, 45*u), anim("zoomIn", 0.5, 0, "easeOutBack")),
					with(textClip(price, base(1.4, dur-1.4, textX, c.H*0.66, 0, 0), 52*u, 700, p.Background), anim("zoomIn", 0.5, 0, "easeOutBack")),
				)
			}
			return out
		},
	})
	register(&Template{
		Name: "slideshow",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			imgs := d.List("images")
			out := []schemas.Clip{background(p, c, dur)}
			if len(imgs) == 0 {
				return out
			}
			per := dur / float64(len(imgs))
			tr := schemas.TransitionType(d.Str("transition", "fade"))
			u := unit(c)
			for i, v := range imgs {
				src, ok := mediaOf(v)
				if !ok {
					continue
				}
				cl := imageClip(src, base(float64(i)*per, per, c.W/2, c.H/2, c.W, c.H), 0)
				if i > 0 {
					cl.Base().Transition = &schemas.Transition{Type: tr, Duration: math.Min(0.8, per/3)}
				}
				out = append(out, cl)
				if m, ok := v.(map[string]any); ok {
					if caption, ok := m["caption"].(string); ok && caption != "" {
						out = append(out, with(textClip(caption, base(float64(i)*per+0.3, per-0.3, c.W/2, c.H*0.88, 0, 0), 56*u, 700, "#ffffff"), anim("fadeIn", 0.5, 0, "")))
						out[len(out)-1].Base().Style.ShadowColor = ptrColor("rgba(0,0,0,0.7)")
						out[len(out)-1].Base().Style.ShadowBlur = f(8 * u)
					}
				}
			}
			return out
		},
	})
	register(&Template{
		Name: "subtitle-video",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			out := []schemas.Clip{background(p, c, dur)}
			if v, ok := d.Media("video"); ok {
				out = append(out, schemas.NewClip(&schemas.VideoClip{BaseClip: base(0, dur, c.W/2, c.H/2, c.W, c.H), Src: v}))
			}
			return append(out, subtitleFrom(d, base(0, dur, c.W/2, c.H/2, 0, 0)))
		},
	})
	register(&Template{
		Name: "talking-head",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			// Without a video of its own the template frames the clips below it: no opaque background.
			var out []schemas.Clip
			if v, ok := d.Media("video"); ok {
				out = append(out, background(p, c, dur), schemas.NewClip(&schemas.VideoClip{BaseClip: base(0, dur, c.W/2, c.H/2, c.W, c.H), Src: v}))
			}
			y := c.H * 0.8
			bar := with(rectClip(base(0.5, dur-0.5, 80*u+300*u, y, 600*u, 150*u), p.Background, 12*u), anim("slideIn", 0.6, 0, "easeOutCubic"))
			bar.Base().Animations[0].Direction = schemas.DirectionRight
			out = append(out, bar,
				with(rectClip(base(0.5, dur-0.5, 80*u+6*u, y, 12*u, 150*u), p.Accent, 0), anim("fadeIn", 0.4, 0, "")),
				with(textClip(d.Str("name", ""), base(0.8, dur-0.8, 80*u+310*u, y-28*u, 560*u, 0), 52*u, 700, p.Text), anim("fadeIn", 0.5, 0, "")),
				with(textClip(d.Str("title", ""), base(1.0, dur-1.0, 80*u+310*u, y+34*u, 560*u, 0), 34*u, 400, p.Muted), anim("fadeIn", 0.5, 0, "")),
			)
			return out
		},
	})
	register(&Template{
		Name: "comparison",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			out := []schemas.Clip{background(p, c, dur),
				with(textClip(d.Str("title", ""), base(0, dur, c.W/2, c.H*0.12, 0, 0), 72*u, 800, p.Text), anim("fadeIn", 0.5, 0, "")),
				rectClip(base(0.3, dur-0.3, c.W/2, c.H*0.58, 4*u, c.H*0.7), p.Muted, 0),
			}
			for side, key := range []string{"left", "right"} {
				m, _ := d[key].(map[string]any)
				sd := Data(m)
				x := c.W * (0.25 + 0.5*float64(side))
				delay := 0.3 + 0.4*float64(side)
				out = append(out, with(textClip(sd.Str("title", key), base(delay, dur-delay, x, c.H*0.3, 0, 0), 60*u, 700, p.Accent), anim("fadeIn", 0.5, 0, "")))
				y := c.H * 0.42
				if img, ok := sd.Media("image"); ok {
					out = append(out, with(imageClip(img, base(delay, dur-delay, x, c.H*0.55, c.W*0.3, c.H*0.35), 16*u), anim("zoomIn", 0.6, 0, "easeOutBack")))
					y = c.H * 0.8
				}
				for i, pt := range sd.List("points") {
					t := delay + 0.5 + 0.3*float64(i)
					out = append(out, with(textClip("• "+strOf(pt), base(t, dur-t, x, y+float64(i)*64*u, 0, 0), 44*u, 400, p.Text), anim("fadeIn", 0.4, 0, "")))
				}
			}
			return out
		},
	})
	register(&Template{
		Name: "countdown",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			from, to := int(d.Num("from", 5)), int(d.Num("to", 1))
			out := []schemas.Clip{background(p, c, dur)}
			if label := d.Str("label", ""); label != "" {
				out = append(out, textClip(label, base(0, dur, c.W/2, c.H*0.25, 0, 0), 56*u, 600, p.Muted))
			}
			n := from - to + 1
			if n < 1 {
				return out
			}
			per := dur / float64(n)
			for i := 0; i < n; i++ {
				t := float64(i) * per
				out = append(out, with(textClip(fmt.Sprint(from-i), base(t, per, c.W/2, c.H/2, 0, 0), 300*u, 900, p.Accent),
					anim("zoomIn", math.Min(0.4, per/2), 0, "easeOutBack"), anim("fadeOut", math.Min(0.3, per/3), per-math.Min(0.3, per/3), "")))
			}
			return out
		},
	})
	register(&Template{
		Name: "text-reveal",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			lines := d.List("lines")
			out := []schemas.Clip{background(p, c, dur)}
			n := float64(len(lines))
			for i, l := range lines {
				t := float64(i) * math.Min(0.6, dur/(n+1))
				y := c.H/2 + (float64(i)-(n-1)/2)*120*u
				cl := with(textClip(strOf(l), base(t, dur-t, c.W/2, y, 0, 0), 96*u, 800, d.Str("color", p.Text)), anim("slideIn", 0.6, 0, "easeOutCubic"), anim("fadeIn", 0.6, 0, ""))
				cl.Base().Animations[0].Distance = f(60 * u)
				out = append(out, cl)
			}
			return out
		},
	})
	register(&Template{
		Name: "news",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			out := []schemas.Clip{background(p, c, dur)}
			if img, ok := d.Media("image"); ok {
				out = append(out, imageClip(img, base(0, dur, c.W/2, c.H/2, c.W, c.H), 0))
			}
			out = append(out,
				with(rectClip(base(0.2, dur-0.2, c.W/2, c.H*0.78, c.W, 140*u), "rgba(0,0,0,0.8)", 0), anim("fadeIn", 0.4, 0, "")),
				with(rectClip(base(0.3, dur-0.3, 170*u, c.H*0.78-95*u, 260*u, 60*u), "#dc2626", 0), anim("zoomIn", 0.4, 0, "easeOutBack")),
				with(textClip(d.Str("label", "BREAKING"), base(0.3, dur-0.3, 170*u, c.H*0.78-95*u, 0, 0), 36*u, 800, "#ffffff"), anim("zoomIn", 0.4, 0, "easeOutBack")),
				with(textClip(d.Str("headline", ""), base(0.6, dur-0.6, c.W/2, c.H*0.78, c.W*0.9, 0), 64*u, 800, "#ffffff"), anim("fadeIn", 0.5, 0, "")),
				rectClip(base(0, dur, c.W/2, c.H-40*u, c.W, 80*u), p.Accent, 0),
			)
			if tick := d.Str("ticker", ""); tick != "" {
				t := textClip(tick, base(0, dur, c.W, c.H-40*u, 0, 0), 36*u, 600, p.Background)
				t.Base().Transform.Anchor = schemas.AnchorLeft
				mv := anim("move", dur, 0, "")
				mv.From = &schemas.AnimValue{X: schemas.Pixels(c.W), Y: schemas.Pixels(c.H - 40*u)}
				mv.To = &schemas.AnimValue{X: schemas.Pixels(-c.W), Y: schemas.Pixels(c.H - 40*u)}
				out = append(out, with(t, mv))
			}
			return out
		},
	})
	register(&Template{
		Name: "quote",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			q := textClip("“"+d.Str("quote", "")+"”", base(0.2, dur-0.2, c.W/2, c.H*0.45, c.W*0.75, 0), 72*u, 600, p.Text)
			q.Base().Style.FontFamily = "Times New Roman"
			q.Base().Style.FontStyle = schemas.FontStyleItalic
			return []schemas.Clip{background(p, c, dur),
				with(q, anim("fadeIn", 0.8, 0, "")),
				with(textClip("— "+d.Str("author", ""), base(1, dur-1, c.W/2, c.H*0.72, 0, 0), 44*u, 400, p.Accent), anim("fadeIn", 0.6, 0, "")),
			}
		},
	})
	register(&Template{
		Name: "list",
		Build: func(d Data, p Palette, c Canvas, dur float64) []schemas.Clip {
			u := unit(c)
			items := d.List("items")
			out := []schemas.Clip{background(p, c, dur),
				with(textClip(d.Str("title", ""), base(0, dur, c.W/2, c.H*0.18, 0, 0), 80*u, 800, p.Text), anim("fadeIn", 0.5, 0, "")),
			}
			step := math.Min(0.7, dur/float64(len(items)+2))
			for i, it := range items {
				t := 0.5 + float64(i)*step
				y := c.H*0.35 + float64(i)*100*u
				out = append(out,
					with(rectClip(base(t, dur-t, c.W*0.25, y, 24*u, 24*u), p.Accent, 12*u), anim("zoomIn", 0.4, 0, "easeOutBack")),
					with(textClip(strOf(it), base(t, dur-t, c.W*0.25+48*u, y, 0, 0), 52*u, 500, p.Text), anim("fadeIn", 0.4, 0, "")),
				)
				out[len(out)-1].Base().Transform.Anchor = schemas.AnchorLeft
			}
			return out
		},
	})
}

func ptrColor(s string) *schemas.Color { c := schemas.Color(s); return &c }

func subtitleFrom(d Data, b schemas.BaseClip) schemas.Clip {
	s := &schemas.SubtitleClip{BaseClip: b}
	if raw, ok := d["words"]; ok {
		w := schemas.Words{}
		switch v := raw.(type) {
		case []any:
			for _, x := range v {
				m, _ := x.(map[string]any)
				md := Data(m)
				w.List = append(w.List, schemas.Word{Word: md.Str("word", ""), PunctuatedWord: md.Str("punctuated_word", ""), Start: md.Num("start", 0), End: md.Num("end", 0)})
			}
		case map[string]any:
			md := Data(v)
			w = schemas.Words{Ref: md.Str("$ref", ""), Src: md.Str("src", ""), SRT: md.Str("srt", ""), VTT: md.Str("vtt", "")}
		}
		s.Words = &w
	}
	return schemas.NewClip(s)
}
