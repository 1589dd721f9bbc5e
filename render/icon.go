package render

import (
	"fmt"
	"strings"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/schemas"
)

// iconLook draws icon clips from the bundled icon set (icons.go): SVG path data on a 24×24 grid, filled with
// the clip's color. Names are Iconify's "set:name"; the set prefix is matched loosely, since the bundled
// glyphs stand in for every set.
func (tl *Timeline) iconLook(s *schemas.IconClip, g *motion.Geometry) (look, error) {
	name := s.Icon
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	data, ok := bundledIcons[name]
	if !ok {
		tl.warn("icon %q is not in the bundled set; it is left out (bundled: %s)", s.Icon, strings.Join(iconNames(), ", "))
		defaultSize(g, 1, 1)
		return emptyLook{}, nil
	}
	c := "#ffffff"
	if s.Color != nil {
		c = string(*s.Color)
	} else if s.Style != nil && s.Style.Fill != nil && s.Style.Fill.Gradient == nil {
		c = string(s.Style.Fill.Color)
	}
	col, err := schemas.ParseColor(c)
	if err != nil {
		return nil, fmt.Errorf("icon color: %w", err)
	}
	markup := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><path fill="#%02x%02x%02x" fill-opacity="%.3f" d="%s"/></svg>`,
		col.R, col.G, col.B, float64(col.A)/255, data)
	// Icons are square: one given side sets both; with both, the smaller wins.
	switch {
	case g.Width <= 0 && g.Height <= 0:
		g.Width, g.Height = 96, 96
	case g.Width <= 0:
		g.Width = g.Height
	case g.Height <= 0:
		g.Height = g.Width
	}
	side := min(g.Width, g.Height)
	g.Width, g.Height = side, side
	return &svgLook{markup: []byte(markup)}, nil
}
