package motion

import (
	"fmt"
	"sort"

	"github.com/framecast/framecast/schemas"
)

// property is a keyframable property. The order matters: tracks apply in this order, so a "scale" track sets
// both axes before a "scaleX" or "scaleY" track replaces one of them.
type property int

const (
	propX property = iota
	propY
	propWidth
	propHeight
	propScale
	propScaleX
	propScaleY
	propRotation
	propOpacity
	propSkewX
	propSkewY
	propFill
	propStroke
	propStrokeWidth
	propFontSize
	propBorderRadius
	propVolume
	propDrawStart
	propDrawEnd
)

var properties = map[schemas.KeyframeProperty]property{
	schemas.KeyframeX: propX, schemas.KeyframeY: propY, schemas.KeyframeWidth: propWidth, schemas.KeyframeHeight: propHeight,
	schemas.KeyframeScale: propScale, schemas.KeyframeScaleX: propScaleX, schemas.KeyframeScaleY: propScaleY,
	schemas.KeyframeRotation: propRotation, schemas.KeyframeOpacity: propOpacity, schemas.KeyframeSkewX: propSkewX, schemas.KeyframeSkewY: propSkewY,
	schemas.KeyframeFill: propFill, schemas.KeyframeStroke: propStroke,
	schemas.KeyframeStrokeWidth: propStrokeWidth, schemas.KeyframeFontSize: propFontSize, schemas.KeyframeBorderRadius: propBorderRadius,
	schemas.KeyframeVolume: propVolume, schemas.KeyframeDrawStart: propDrawStart, schemas.KeyframeDrawEnd: propDrawEnd,
}

func (p property) isColor() bool { return p == propFill || p == propStroke }

// frame is a parsed keyframe. A number lives in v[0]; a color is premultiplied linear light in v.
type frame struct {
	time float64
	ease EasingFunc // shapes the segment that arrives at this frame
	v    [4]float64
}

// track is a parsed keyframe track, its frames in time order.
type track struct {
	prop   property
	frames []frame
}

// compileTrack parses keyframe track kt, whose position in the clip's keyframes is path.
func compileTrack(kt schemas.KeyframeTrack, path string) (track, error) {
	prop, ok := properties[kt.Property]
	if !ok {
		return track{}, fmt.Errorf("%s.property: unknown property %q: use one of %v",
			path, kt.Property, schemas.Names(schemas.KeyframeProperties))
	}
	if len(kt.Frames) == 0 {
		return track{}, fmt.Errorf("%s.frames: a keyframe track needs at least one frame", path)
	}
	tr := track{prop: prop, frames: make([]frame, len(kt.Frames))}
	for i, kf := range kt.Frames {
		at := fmt.Sprintf("%s.frames[%d]", path, i)
		ease, err := EaseFunc(kf.Easing)
		if err != nil {
			return track{}, fmt.Errorf("%s.easing: %w", at, err)
		}
		f := frame{time: kf.Time, ease: ease}
		switch {
		case prop.isColor() && !kf.Value.IsColor():
			return track{}, fmt.Errorf("%s.value: %s takes a color such as \"#ff0000\", not the number %g",
				at, kt.Property, kf.Value.Number)
		case prop.isColor():
			c, err := schemas.ParseColor(string(kf.Value.Color))
			if err != nil {
				return track{}, fmt.Errorf("%s.value: %w", at, err)
			}
			f.v = toLinear(c)
		case kf.Value.IsColor():
			return track{}, fmt.Errorf("%s.value: %s takes a number, not %q", at, kt.Property, kf.Value.Color)
		default:
			f.v[0] = kf.Value.Number
		}
		tr.frames[i] = f
	}
	sort.SliceStable(tr.frames, func(i, j int) bool { return tr.frames[i].time < tr.frames[j].time })
	return tr, nil
}

// at returns the track's value at t seconds from the clip start: the first value before the first frame, the
// last after the last frame, and in between the two frames around t interpolated with the later one's easing.
func (tr *track) at(t float64) [4]float64 {
	f := tr.frames
	last := len(f) - 1
	if t <= f[0].time {
		return f[0].v
	}
	if t >= f[last].time {
		return f[last].v
	}
	next := sort.Search(len(f), func(i int) bool { return f[i].time > t }) // 1 <= next <= last
	a, b := &f[next-1], &f[next]
	p := b.ease((t - a.time) / (b.time - a.time))
	if !tr.prop.isColor() {
		return [4]float64{lerp(a.v[0], b.v[0], p)}
	}
	var v [4]float64
	for i := range v {
		v[i] = lerp(a.v[i], b.v[i], p)
	}
	return v
}

// apply sets the track's property in st to its value at time t; ref offsets keyframed x and y.
func (tr *track) apply(st *State, ref Box, t float64) {
	v := tr.at(t)
	n := v[0]
	switch tr.prop {
	case propX:
		st.X = ref.X + n
	case propY:
		st.Y = ref.Y + n
	case propWidth:
		st.Width = n
	case propHeight:
		st.Height = n
	case propScale:
		st.ScaleX, st.ScaleY = n, n
	case propScaleX:
		st.ScaleX = n
	case propScaleY:
		st.ScaleY = n
	case propRotation:
		st.Rotation = n
	case propOpacity:
		st.Opacity = n
	case propSkewX:
		st.SkewX = n
	case propSkewY:
		st.SkewY = n
	case propFill:
		st.Fill = some(fromLinear(v))
	case propStroke:
		st.Stroke = some(fromLinear(v))
	case propStrokeWidth:
		st.StrokeWidth = some(n)
	case propFontSize:
		st.FontSize = some(n)
	case propBorderRadius:
		st.BorderRadius = some(n)
	case propVolume:
		st.Volume = some(n)
	case propDrawStart:
		st.DrawStart = some(n)
	case propDrawEnd:
		st.DrawEnd = some(n)
	}
}

// end is the time of the track's last frame, from which its value holds.
func (tr *track) end() float64 { return tr.frames[len(tr.frames)-1].time }
