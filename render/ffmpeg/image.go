package ffmpeg

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
)

// DefaultJPEGQuality is the quality WriteImage uses when given 0.
const DefaultJPEGQuality = 90

// WriteImage writes img to path as "png" (fast compression) or "jpeg" (quality 1–100, 0 meaning
// DefaultJPEGQuality). It needs no FFmpeg. JPEG has no alpha: premultiplied pixels show over black. A
// failed write leaves no file behind.
func WriteImage(path string, img image.Image, format string, quality int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	err = EncodeImage(w, img, format, quality)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write image %s: %w", path, err)
	}
	return nil
}

// EncodeImage writes img to w as "png" or "jpeg"; see WriteImage.
func EncodeImage(w io.Writer, img image.Image, format string, quality int) error {
	switch format {
	case "png":
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(w, img)
	case "jpeg", "jpg":
		if quality == 0 {
			quality = DefaultJPEGQuality
		}
		if quality < 1 || quality > 100 {
			return fmt.Errorf("invalid JPEG quality %d (want 1–100)", quality)
		}
		return jpeg.Encode(w, img, &jpeg.Options{Quality: quality})
	default:
		return fmt.Errorf("unsupported image format %q (want png or jpeg)", format)
	}
}

// thumbnailQuality is the JPEG quality of thumbnails.
const thumbnailQuality = 85

// Thumbnail writes the frame of video shown at `at` seconds to out as a JPEG, width pixels wide (0 keeps the
// video's width) with the video's aspect ratio.
func Thumbnail(ctx context.Context, video string, at float64, out string, width int) error {
	img, err := FrameAt(ctx, video, at, width, 0)
	if err != nil {
		return fmt.Errorf("thumbnail: %w", err)
	}
	return WriteImage(out, img, "jpeg", thumbnailQuality)
}
