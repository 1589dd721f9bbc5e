package motion_test

import (
	"encoding/json"
	"fmt"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/schemas"
)

// A text that slides up and fades in over its first second, then turns red.
func Example() {
	var clip schemas.BaseClip
	_ = json.Unmarshal([]byte(`{"type": "text", "start": 2, "duration": 5,
		"transform": {"x": "50%", "y": "75%"},
		"animations": [{"type": "fadeIn", "duration": 1}, {"type": "slideIn", "duration": 1, "distance": 100}],
		"keyframes": [{"property": "fill", "frames": [{"time": 1, "value": "#ffffff"}, {"time": 2, "value": "#ff0000"}]}]}`), &clip)

	canvas := motion.Box{W: 1920, H: 1080}
	compiled, err := motion.Compile(&clip)
	if err != nil {
		fmt.Println(err)
		return
	}
	base := motion.Base(&clip, canvas)
	base.Width, base.Height = 300, 60 // the text's measured size

	for _, t := range []float64{0, 0.5, 1, 2} { // seconds from the clip start
		st := compiled.Evaluate(base, canvas, t)
		fmt.Printf("t=%.1f y=%.0f opacity=%.2f fill=%v\n", t, st.Y, st.Opacity, st.Fill.Value)
	}
	// Output:
	// t=0.0 y=910 opacity=0.00 fill={255 255 255 255}
	// t=0.5 y=860 opacity=0.50 fill={255 255 255 255}
	// t=1.0 y=810 opacity=1.00 fill={255 255 255 255}
	// t=2.0 y=810 opacity=1.00 fill={255 0 0 255}
}
