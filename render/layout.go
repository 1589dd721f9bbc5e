package render

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// layoutLook draws a layout clip: its children arranged in its box, sharing its time window. The children
// are drawn into a layer the size of the box, which then moves, fades and transitions as one clip.
type layoutLook struct {
	children []*item
	clip     bool
	seed     maphash.Seed
}

func (tl *Timeline) layoutLook(ctx context.Context, s *schemas.LayoutClip, g *motion.Geometry, path string) (look, error) {
	defaultSize(g, tl.docW, tl.docH)
	var pad schemas.Box
	if s.Padding != nil {
		pad = *s.Padding
	}
	inner := motion.Box{X: pad[3], Y: pad[0], W: math.Max(0, g.Width-pad[1]-pad[3]), H: math.Max(0, g.Height-pad[0]-pad[2])}
	l := &layoutLook{clip: s.Clip, seed: maphash.MakeSeed()}
	for i, c := range s.Children {
		if _, bad := c.Spec.(*schemas.SubtitleClip); bad {
			return nil, fmt.Errorf("%s.children[%d]: a subtitle cannot be a layout child", path, i)
		}
		child, err := tl.newItem(ctx, c, inner, fmt.Sprintf("%s.children[%d]", path, i))
		if err != nil {
			return nil, err
		}
		if child != nil {
			l.children = append(l.children, child)
		}
	}
	arrange(l.children, s, inner)
	return l, nil
}

// arrange places children along the layout's main axis (flexbox-like: gap, justifyContent, alignItems).
func arrange(children []*item, s *schemas.LayoutClip, inner motion.Box) {
	vertical := s.Direction == schemas.LayoutVertical
	main := func(g *motion.Geometry) *float64 {
		if vertical {
			return &g.Height
		}
		return &g.Width
	}
	cross := func(g *motion.Geometry) *float64 {
		if vertical {
			return &g.Width
		}
		return &g.Height
	}
	mainSize, crossSize := inner.W, inner.H
	if vertical {
		mainSize, crossSize = inner.H, inner.W
	}
	total := 0.0
	for _, c := range children {
		if s.AlignItems == schemas.AlignItemsStretch {
			*cross(&c.geo) = crossSize
		}
		total += *main(&c.geo)
	}
	n := float64(len(children))
	gap := s.Gap
	free := mainSize - total - gap*math.Max(0, n-1)
	pos := 0.0
	switch s.JustifyContent {
	case schemas.JustifyCenter:
		pos = free / 2
	case schemas.JustifyEnd:
		pos = free
	case schemas.JustifySpaceBetween:
		if n > 1 {
			gap += free / (n - 1)
		}
	case schemas.JustifySpaceAround:
		if n > 0 {
			gap += free / n
			pos = free / n / 2
		}
	}
	for _, c := range children {
		g := &c.geo
		m, x := *main(g), *cross(g)
		var cpos float64
		switch s.AlignItems {
		case schemas.AlignItemsStart, schemas.AlignItemsStretch:
			cpos = 0
		case schemas.AlignItemsEnd:
			cpos = crossSize - x
		default:
			cpos = (crossSize - x) / 2
		}
		// Children are placed by their centre; their own anchor then acts around it.
		cx, cy := pos+m/2, cpos+x/2
		if vertical {
			cx, cy = cpos+x/2, pos+m/2
		}
		g.X = inner.X + cx + (g.AnchorX-0.5)*g.Width
		g.Y = inner.Y + cy + (g.AnchorY-0.5)*g.Height
		pos += m + gap
	}
}

func (l *layoutLook) key(st *motion.State, local float64) contentKey {
	var h maphash.Hash
	h.SetSeed(l.seed)
	var b []byte
	for i, c := range l.children {
		cs := c.motion.Evaluate(c.geo, c.ref, local)
		if cs.Opacity <= 0 {
			continue
		}
		b = appendSignature(b[:0], i, &cs, c.look.key(&cs, local))
		h.Write(b)
	}
	k := contentKey{w: st.Width, h: st.Height, strokeWidth: -1, fontSize: -1, radius: -1, drawS: -1, drawE: -1}
	k.frame = int64(h.Sum64() >> 1)
	return k
}

func (l *layoutLook) draw(ctx context.Context, k contentKey, local float64) (raster.Layer, error) {
	// Without clip, children may overflow the box: leave a margin around it.
	margin := 0
	if !l.clip {
		margin = int(math.Ceil(math.Max(k.w, k.h) / 4))
	}
	w, h := int(math.Ceil(k.w)), int(math.Ceil(k.h))
	out := raster.NewLayer(w+2*margin, h+2*margin)
	out.BoxX, out.BoxY, out.BoxW, out.BoxH = float64(margin), float64(margin), k.w, k.h
	for _, c := range l.children {
		cs := c.motion.Evaluate(c.geo, c.ref, local)
		if cs.Opacity <= 0 {
			continue
		}
		layer, release, err := c.acquireLayer(ctx, c.look.key(&cs, local), local)
		if err != nil {
			return raster.Layer{}, err
		}
		drawLayer(out.Img, layer, &cs, c.base.Style, 1, 1, float64(margin), float64(margin))
		release()
	}
	return out, nil
}
