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
	markup := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><path fill="%s" d="%s"/></svg>`, c, data)
	defaultSize(g, 96, 96)
	if g.Width != g.Height {
		side := min(g.Width, g.Height)
		g.Width, g.Height = side, side
	}
	return &svgLook{markup: []byte(markup)}, nil
}
