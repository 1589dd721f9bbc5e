package schemas

import (
	"image/color"
	"testing"
)

func TestParseColor(t *testing.T) {
	cases := map[string]color.NRGBA{
		"#fff":                    {255, 255, 255, 255},
		"#0008":                   {0, 0, 0, 0x88},
		"#ff8000":                 {255, 128, 0, 255},
		"#11223344":               {0x11, 0x22, 0x33, 0x44},
		"rgb(255, 0, 0)":          {255, 0, 0, 255},
		"rgba(0,0,255,0.5)":       {0, 0, 255, 128},
		"rgb(0 128 0 / 50%)":      {0, 128, 0, 128},
		"hsl(120, 100%, 50%)":     {0, 255, 0, 255},
		"hsla(240,100%,50%,0.25)": {0, 0, 255, 64},
		"tomato":                  {255, 99, 71, 255},
		"Transparent":             {0, 0, 0, 0},
	}
	for in, want := range cases {
		got, err := ParseColor(in)
		if err != nil || got != want {
			t.Errorf("ParseColor(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "#12", "#ggg", "rgb(1,2)", "blurple", "rgb(a,b,c)"} {
		if _, err := ParseColor(bad); err == nil {
			t.Errorf("ParseColor(%q) succeeded, want an error", bad)
		}
	}
}
