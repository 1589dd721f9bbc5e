package hugemem

import (
	"image"
	"os"
	"os/exec"
	"testing"
)

func TestBytesIsZeroedAndSized(t *testing.T) {
	for _, n := range []int{0, 1, MinBytes - 1, MinBytes, 3*hugePage + 12345} {
		b := Bytes(n)
		if len(b) != n {
			t.Fatalf("Bytes(%d) has %d bytes", n, len(b))
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("Bytes(%d)[%d] = %d, want 0", n, i, v)
			}
		}
	}
}

func TestCloneCopies(t *testing.T) {
	src := make([]byte, MinBytes+7)
	for i := range src {
		src[i] = byte(i * 7)
	}
	c := Clone(src)
	if string(c) != string(src) {
		t.Fatal("Clone differs from its source")
	}
	c[0]++
	if c[0] == src[0] {
		t.Fatal("Clone shares memory with its source")
	}
}

func TestNewRGBAMatchesImageNewRGBA(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 1920, 1080), image.Rect(10, 20, 30, 40), image.Rect(0, 0, 0, 5)} {
		got, want := NewRGBA(r), image.NewRGBA(r)
		if got.Rect != want.Rect || got.Stride != want.Stride || len(got.Pix) != len(want.Pix) {
			t.Fatalf("NewRGBA(%v) = rect %v stride %d len %d, want %v %d %d", r, got.Rect, got.Stride, len(got.Pix), want.Rect, want.Stride, len(want.Pix))
		}
	}
}

// FRAMECAST_HUGEPAGES=off turns the advice off (checked in a child process, since the switch is read once).
func TestOffSwitch(t *testing.T) {
	if os.Getenv("HUGEMEM_TEST_CHILD") != "" {
		if want := os.Getenv(EnvHugePages) != "off"; enabled() != want {
			t.Fatalf("with %s=%q the advice is on: %v, want %v", EnvHugePages, os.Getenv(EnvHugePages), enabled(), want)
		}
		return
	}
	for _, v := range []string{"off", ""} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestOffSwitch$")
		cmd.Env = append(os.Environ(), "HUGEMEM_TEST_CHILD=1", EnvHugePages+"="+v)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s=%q: %v\n%s", EnvHugePages, v, err, out)
		}
	}
}
