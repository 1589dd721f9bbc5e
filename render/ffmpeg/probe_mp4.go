package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
	"strings"
)

// This file answers Probe in Go for the MP4 files it is certain about, as ffprobe would (the ProbeResult
// of parseProbe of ffprobe's JSON, field for field), reading only the file's index. Why: each ffprobe launch
// costs 0.12-0.17 s of CPU on the 2-core VM before it reads a byte, nearly all of it the dynamic loader
// binding FFmpeg's shared libraries, and a render probes every video and sound of its document at Load.
//
// What ffprobe reports, and why the Go reader gets the same (FFmpeg 5.1, Debian bookworm's, which
// deploy/Dockerfile installs: its mov demuxer, the stream information avformat_find_stream_info adds by
// decoding the first packets, and ffprobe's printing; TestProbeMP4MatchesFFprobe compares with the installed
// ffprobe, so an FFmpeg that reports otherwise fails it):
//
//   - format duration: mvhd's duration rescaled to microseconds (to nearest); start time: the earliest
//     stream's, 0 for every track that starts at the beginning of its edit list or has none (and then no
//     composition offsets);
//   - stream duration: the least of mdhd's duration, the sum of the stts deltas and the edit's duration
//     rescaled to the track's timescale (to nearest); nb_frames: the samples stts counts; a video's
//     avg_frame_rate: timescale × samples over the stts sum, reduced; edit lists of one edit at normal
//     rate change none of these but the duration;
//   - seconds are printed as the tick count times the reciprocal of the timescale, with six decimals
//     (ffprobeSeconds), and parseProbe reads them back;
//   - H.264: the size and pixel format from the SPS of avcC (8-bit 4:2:0 is yuv420p, or yuvj420p when the
//     decoder's colour range is full), the colour range and matrix from the SPS's VUI when it signals
//     them, else from the colr box (nclx carries the range, nclc only the matrix);
//   - AAC: sample rate and channels from the AudioSpecificConfig, when it says explicitly that there is
//     no SBR (the sync extension FFmpeg's encoder writes): only then can the decoder not double the
//     sample rate or turn mono into stereo on finding SBR or PS data in the first frame;
//   - rotation: the display matrix of tkhd, as ffprobe's side data prints it.
//
// Everything else makes probeMP4 return an error, and Probe asks ffprobe: other codecs and sample entries,
// fragmented files, several edits, empty edits, negative composition offsets, 10-bit or 4:2:2 or 4:4:4 or
// interlaced H.264, an SPS inside the first seconds of samples, sizes that disagree between stsd and the SPS,
// flipped or scaled display matrices, cover art (ffprobe adds a stream for it), tracks of other kinds
// (timecode, text, chapters).
//
// BenchmarkProbeBusyMedia, the busy benchmark document's three sources (two 1280×720 10 s videos, the
// music): 1.8-2.3 ms of CPU in Go against 450-580 ms for three ffprobe launches, on the 2-core VM.

// movFormatName is the format_name ffprobe reports for every file its mov demuxer reads.
const movFormatName = "mov,mp4,m4a,3gp,3g2,mj2"

// mp4Brands are the major brands of files probeMP4 reads: ISO, MP4, iTunes audio/video, QuickTime.
var mp4Brands = []string{"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "M4A ", "M4V ", "qt  ", "avc1"}

// inBandScanSeconds is how much of a video's start (in decode time) is searched for parameter sets inside
// the samples: more than ffprobe's analysis reads (5 s), so an SPS there that could change what its decoder
// reports sends the probe to ffprobe.
const inBandScanSeconds = 10

// maxInBandNALs is how many NAL unit headers probeMP4 reads in all (each a 5-byte read) looking for
// parameter sets: 10 s of 60 fps video of 100 slices a picture. Without it, samples that all point at the
// same megabyte of one-byte NAL units, or last no time, would cost a read per 3 bytes per sample.
const maxInBandNALs = 1 << 16

// probeBudget is what is left, for the tracks not yet read, of what probeMP4 may read of a file.
type probeBudget struct {
	sampleBytes int64 // the samples of all tracks lie in the file without overlapping (sampleSizes)
	nalHeaders  int   // maxInBandNALs
}

// localMP4Path reports whether path names a regular local file ffprobe would read as a file (no protocol
// prefix such as "http:" or "file:").
func localMP4Path(path string) bool {
	if path == "" || strings.Contains(path, ":") {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// probeMP4 reads the MP4 (MOV, M4A) file at path as ffprobe would report it, or returns why it cannot be
// certain; see the comment at the top of this file.
func probeMP4(path string) (*ProbeResult, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	ftyp, moov, size, err := readMovieFrom(file)
	if err != nil {
		return nil, err
	}
	if len(ftyp) < 12 || !slices.Contains(mp4Brands, string(ftyp[8:12])) {
		return nil, fmt.Errorf("major brand %q", ftyp[8:min(len(ftyp), 12)])
	}
	quickTime := string(ftyp[8:12]) == "qt  "
	boxes, err := knownBoxes(moov, "moov", "mvhd", "trak", "udta", "meta", "iods", "free", "skip")
	if err != nil {
		return nil, err
	}
	var movie mp4Track
	if err := movie.parseMvhd(boxes); err != nil {
		return nil, err
	}
	if !identityMatrix(movie.mvhdFields[32:]) {
		return nil, errors.New("a movie display matrix")
	}
	for _, b := range boxes {
		if (b.typ == "udta" || b.typ == "meta") && bytes.Contains(b.body, []byte("covr")) {
			return nil, errors.New("cover art, which ffprobe lists as a stream")
		}
	}
	movieDuration := uint64(binary.BigEndian.Uint32(movie.mvhdFields[12:]))
	if movieDuration == 0 {
		return nil, errors.New("movie duration 0")
	}
	movieMicroseconds, ok := rescaleNearest(movieDuration, 1_000_000, uint64(movie.mvhdScale))
	if !ok {
		return nil, errors.New("a movie too long to rescale")
	}
	res := &ProbeResult{
		FormatName: movFormatName,
		Duration:   ffprobeSeconds(movieMicroseconds, 1_000_000),
		Size:       size,
	}
	budget := &probeBudget{sampleBytes: size, nalHeaders: maxInBandNALs}
	for _, trak := range findBoxes(boxes, "trak") {
		// FFmpeg also reads cover art from a track's udta (a chance match in the tables only sends the file to
		// ffprobe).
		if bytes.Contains(trak.body, []byte("covr")) {
			return nil, errors.New("cover art, which ffprobe lists as a stream")
		}
		st, err := probeTrak(file, size, budget, trak.body, movie.mvhdScale, quickTime)
		if err != nil {
			return nil, fmt.Errorf("track %d: %w", len(res.Streams)+1, err)
		}
		res.Streams = append(res.Streams, st)
		switch st.CodecType {
		case "audio":
			res.HasAudio = true
		case "video":
			res.HasVideo = true
		}
	}
	if len(res.Streams) == 0 {
		return nil, errors.New("no tracks")
	}
	return res, nil
}

// probeTrak reads one track: a video track of H.264 or a sound track of AAC.
func probeTrak(f io.ReaderAt, fileSize int64, budget *probeBudget, trak []byte, mvhdScale uint32, quickTime bool) (Stream, error) {
	t := mp4Track{mvhdScale: mvhdScale}
	stbl, edts, err := t.parseTrak(trak, "", "tkhd", "edts", "mdia", "udta")
	if err != nil {
		return Stream{}, err
	}
	if t.mediaDuration == 0 || t.mediaDuration == math.MaxUint32 {
		return Stream{}, errors.New("media duration unknown")
	}
	boxes, err := knownBoxes(stbl, "stbl", "stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco", "co64",
		"sgpd", "sbgp", "sdtp", "stps")
	if err != nil {
		return Stream{}, err
	}
	sizes, err := sampleSizes(boxes, budget.sampleBytes)
	if err != nil {
		return Stream{}, err
	}
	budget.sampleBytes -= int64(bytesOf(sizes))
	deltas, err := sampleDeltas(boxes, len(sizes))
	if err != nil {
		return Stream{}, err
	}
	var ticks uint64
	for _, d := range deltas {
		// Larger deltas FFmpeg takes for negative corrections (its max_stts_delta).
		if d > math.MaxUint32-48000*10 {
			return Stream{}, errors.New("an stts delta FFmpeg would correct")
		}
		ticks += uint64(d)
	}
	if n := len(deltas); n > 100 && heldLastSample(deltas[n-1], ticks, n) {
		return Stream{}, errors.New("a last sample FFmpeg's stts reader may shorten")
	}
	cts, err := compositionOffsets(boxes, len(sizes))
	if err != nil {
		return Stream{}, err
	}
	duration := t.mediaDuration
	if ticks > 0 {
		duration = min(duration, ticks)
	}
	if edts != nil {
		editDuration, mediaTime, err := parseEdit(edts)
		if err != nil {
			return Stream{}, err
		}
		if editDuration == 0 || uint64(mediaTime) >= ticks {
			return Stream{}, errors.New("an edit that lasts no time or starts after the media")
		}
		edit, ok := rescaleNearest(editDuration, uint64(t.timescale), uint64(mvhdScale))
		if !ok {
			return Stream{}, errors.New("an edit too long to rescale")
		}
		duration = min(duration, edit)
	} else if slices.ContainsFunc(cts, func(c int64) bool { return c != 0 }) {
		// Without an edit list the stream starts at its first sample's composition time.
		return Stream{}, errors.New("composition offsets without an edit list")
	}
	st := Stream{
		NbFrames: len(sizes),
		Duration: ffprobeSeconds(duration, uint64(t.timescale)),
	}
	switch t.handler {
	case "vide":
		st.CodecType = "video"
		err = probeAVC(&st, f, fileSize, budget, &t, boxes, sizes, deltas, ticks)
	case "soun":
		st.CodecType = "audio"
		err = probeAAC(&st, boxes, quickTime)
	default:
		err = fmt.Errorf("a %q track", t.handler)
	}
	return st, err
}

// probeAVC reads an H.264 video track's sample description, first samples and display matrix.
// heldLastSample reports a last sample lasting far longer than the others (a screen recording holding its
// last frame): FFmpeg's stts reader may count such a last entry (one sample after more than 100, over ten
// times the mean) as the mean instead, which changes the frame rate and duration it reports. The Go reader
// leaves those files to ffprobe, with a margin: five times the mean of the samples before it. ticks is the
// sum of all n samples' durations, last's included.
func heldLastSample(last uint32, ticks uint64, n int) bool {
	if n < 2 {
		return false
	}
	before := ticks - uint64(last) // the other samples' sum
	return uint64(last)*uint64(n-1) > 5*before
}

func probeAVC(st *Stream, f io.ReaderAt, fileSize int64, budget *probeBudget, t *mp4Track, boxes []mp4Box, sizes, deltas []uint32, ticks uint64) error {
	_, entry, ext, err := sampleEntry(boxes, "avc1", 78)
	if err != nil {
		return err
	}
	for _, b := range ext {
		if !slices.Contains([]string{"avcC", "colr", "pasp", "btrt", "fiel"}, b.typ) {
			return fmt.Errorf("a %q box in the sample description", b.typ)
		}
	}
	avcC, err := only(ext, "avcC")
	if err != nil {
		return err
	}
	sps, nalLength, err := avcConfig(avcC.body)
	if err != nil {
		return err
	}
	if sps.chromaFormat != 1 || sps.bitDepthLuma != 8 || sps.bitDepthChroma != 8 || !sps.frameMBsOnly {
		return fmt.Errorf("H.264 of chroma format %d, %d bits, frame MBs only %v", sps.chromaFormat,
			sps.bitDepthLuma, sps.frameMBsOnly)
	}
	// FFmpeg's decoder crops to the container's size when it differs a little from the SPS's.
	w, h := int(binary.BigEndian.Uint16(entry[24:])), int(binary.BigEndian.Uint16(entry[26:]))
	if w != sps.width || h != sps.height {
		return fmt.Errorf("the sample description says %dx%d, the SPS %dx%d", w, h, sps.width, sps.height)
	}
	st.CodecName, st.Width, st.Height = "h264", w, h
	colrMatrix, colrRange, err := colourBox(ext)
	if err != nil {
		return err
	}
	matrix, fullRange := colrMatrix, colrRange
	if sps.signalType {
		fullRange = 1
		if sps.fullRange {
			fullRange = 2
		}
		if sps.matrix >= 0 {
			matrix = validMatrix(sps.matrix)
		}
	}
	if st.ColorSpace, err = colorSpaceName(matrix); err != nil {
		return err
	}
	st.PixFmt, st.ColorRange = "yuv420p", ""
	switch fullRange {
	case 1:
		st.ColorRange = "tv"
	case 2:
		st.PixFmt, st.ColorRange = "yuvj420p", "pc"
	}
	if ticks == 0 {
		return errors.New("the samples last no time")
	}
	num, den := uint64(t.timescale)*uint64(len(sizes)), ticks
	g := gcd(num, den)
	if num/g > math.MaxInt32 || den/g > math.MaxInt32 {
		return errors.New("a frame rate FFmpeg would approximate")
	}
	st.FPS = float64(num/g) / float64(den/g)
	// tkhd: creation, modification, track id, reserved, duration, reserved, layer, group, volume, reserved, matrix
	if st.Rotation, err = displayRotation(t.tkhdFields[36:]); err != nil {
		return err
	}
	offsets, err := sampleOffsets(boxes, sizes)
	if err != nil {
		return err
	}
	if err := checkInside(offsets, sizes, fileSize); err != nil {
		return err
	}
	return noInBandSPS(f, offsets, sizes, deltas, nalLength, uint64(t.timescale)*inBandScanSeconds, &budget.nalHeaders)
}

// avcConfig reads an avcC record with one SPS: the SPS and the size of the NAL unit lengths.
func avcConfig(b []byte) (*h264SPS, int, error) {
	if len(b) < 8 || b[0] != 1 {
		return nil, 0, errors.New("avcC is not version 1")
	}
	nalLength := int(b[4]&3) + 1
	if nalLength == 3 {
		return nil, 0, errors.New("3-byte NAL lengths")
	}
	spsList, ppsList, err := avcCParameterSets(b)
	if err != nil {
		return nil, 0, err
	}
	if len(spsList) != 1 {
		return nil, 0, fmt.Errorf("avcC holds %d SPS, want one", len(spsList))
	}
	sps, err := parseSPS(spsList[0])
	if err != nil {
		return nil, 0, err
	}
	// Every PPS refers to that SPS, so the decoder uses it.
	for _, p := range ppsList {
		if id, err := ppsSPSID(p); err != nil || id != sps.id {
			return nil, 0, errors.New("avcC: a PPS of another SPS")
		}
	}
	return sps, nalLength, nil
}

// colourBox reads the sample description's colr box as FFmpeg's mov demuxer does: the matrix (2,
// unspecified, without one) and the range (0 unspecified, 1 limited, 2 full; only nclx carries it).
func colourBox(ext []mp4Box) (matrix, colourRange int, err error) {
	colr, err := optional(ext, "colr")
	if err != nil || colr.typ == "" {
		return 2, 0, err
	}
	b := colr.body
	switch {
	case len(b) >= 11 && string(b[:4]) == "nclx":
		colourRange = 1
		if b[10]>>7 == 1 {
			colourRange = 2
		}
	case len(b) >= 10 && string(b[:4]) == "nclc":
	default:
		return 0, 0, errors.New("a colr box other than nclx or nclc")
	}
	return validMatrix(int(binary.BigEndian.Uint16(b[8:]))), colourRange, nil
}

// validMatrix is FFmpeg's rule for a matrix_coefficients value it has no name for: unspecified (2).
func validMatrix(m int) int {
	if m >= len(colorSpaceNames) {
		return 2
	}
	return m
}

// colorSpaceNames are FFmpeg 5.1's names of the matrix_coefficients values (av_color_space_name).
var colorSpaceNames = []string{"gbr", "bt709", "unknown", "reserved", "fcc", "bt470bg", "smpte170m",
	"smpte240m", "ycgco", "bt2020nc", "bt2020c", "smpte2085", "chroma-derived-nc", "chroma-derived-c", "ictcp"}

// colorSpaceName names a matrix as ffprobe prints it ("" for unspecified), refusing the matrices that make
// no sense for yuv420p video: RGB, reserved, YCgCo.
func colorSpaceName(m int) (string, error) {
	switch m {
	case 2:
		return "", nil
	case 0, 3, 8:
		return "", fmt.Errorf("matrix coefficients %d", m)
	}
	return colorSpaceNames[m], nil
}

// identityMatrix reports whether a 3×3 display matrix (36 bytes) is the identity.
func identityMatrix(m []byte) bool {
	rot, err := displayRotation(m)
	return err == nil && rot == 0 && binary.BigEndian.Uint32(m[24:]) == 0 && binary.BigEndian.Uint32(m[28:]) == 0
}

// displayRotation returns the rotation of a display matrix (36 bytes: a b u, c d v, x y w) as parseProbe
// reads it from ffprobe's side data (which prints av_display_rotation_get, minus the angle of the matrix's
// first column), for the four rotations at unit scale; any other matrix (flipped, scaled, sheared or with
// perspective) is refused. The translation x, y does not matter.
func displayRotation(m []byte) (int, error) {
	v := func(i int) int32 { return int32(binary.BigEndian.Uint32(m[4*i:])) }
	a, b, u, c, d, w := v(0), v(1), v(2), v(3), v(4), v(8)
	const one = 1 << 16
	if u != 0 || v(5) != 0 || w != 1<<30 {
		return 0, errors.New("a display matrix with perspective")
	}
	for _, r := range [][4]int32{{one, 0, 0, one}, {0, one, -one, 0}, {-one, 0, 0, -one}, {0, -one, one, 0}} {
		if r == [4]int32{a, b, c, d} {
			return rotationDegrees(-math.Atan2(float64(b), float64(a)) * 180 / math.Pi), nil
		}
	}
	return 0, errors.New("a display matrix that is not a rotation")
}

// noInBandSPS checks the NAL unit headers of the samples that start in the first limit ticks: an SPS (or a
// subset SPS) among them could change what ffprobe's decoder reports. It reads *headers of them at most,
// and counts down what it read.
func noInBandSPS(f io.ReaderAt, offsets []int64, sizes, deltas []uint32, nalLength int, limit uint64, headers *int) error {
	nals := nalWalker{f: f, nalLength: nalLength}
	var at uint64
	for i, size := range sizes {
		if at >= limit {
			break
		}
		at += uint64(deltas[i])
		err := nals.walk(offsets[i], int64(size), func(_, _ int64, h []byte) error {
			if *headers <= 0 {
				return fmt.Errorf("more than %d NAL units to check for parameter sets", maxInBandNALs)
			}
			*headers--
			switch h[0] & 0x1f {
			case 7, 13, 15:
				return errors.New("it carries a sequence parameter set")
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sample %d: %w", i+1, err)
		}
	}
	return nil
}

// probeAAC reads an AAC sound track's sample description.
func probeAAC(st *Stream, boxes []mp4Box, quickTime bool) error {
	_, entry, err := soleSampleEntry(boxes, "mp4a", 28)
	if err != nil {
		return err
	}
	fixed := 28
	switch version := binary.BigEndian.Uint16(entry[8:]); {
	case version == 1 && quickTime && len(entry) >= 44:
		fixed = 44 // QuickTime's sound description version 1 adds four 32-bit fields before the boxes
	case version != 0:
		return fmt.Errorf("a version %d sound description", version)
	}
	ext, err := childBoxes(entry[fixed:])
	if err != nil {
		return err
	}
	var esds []mp4Box
	for _, b := range ext {
		switch b.typ {
		case "esds":
			esds = append(esds, b)
		case "wave": // QuickTime puts esds in a wave box
			wave, err := knownBoxes(b.body, "wave", "frma", "mp4a", "esds", "\x00\x00\x00\x00")
			if err != nil {
				return err
			}
			esds = append(esds, findBoxes(wave, "esds")...)
		case "chan", "btrt":
		default:
			return fmt.Errorf("a %q box in the sample description", b.typ)
		}
	}
	if len(esds) != 1 {
		return fmt.Errorf("%d esds boxes, want one", len(esds))
	}
	e, err := fullBox(esds[0], 0, 0)
	if err != nil {
		return err
	}
	_, at, err := esdsAudio(e)
	if err != nil {
		return err
	}
	start, n, err := descriptorSpan(e, at+13, 0x05)
	if err != nil || start+n > len(e) {
		return errors.New("esds: no decoder specific info")
	}
	rate, channels, err := aacConfig(e[start : start+n])
	if err != nil {
		return err
	}
	st.CodecName, st.SampleRate, st.Channels = "aac", rate, channels
	return nil
}

// mpeg4AudioRates are the sampling frequencies of the AudioSpecificConfig's index.
var mpeg4AudioRates = []int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// aacConfig reads an AudioSpecificConfig of AAC LC, mono or stereo, that signals the absence of SBR with
// the backward-compatible sync extension (0x2b7, SBR, sbrPresentFlag 0), found as FFmpeg's
// ff_mpeg4audio_get_config_gb looks for it: bit by bit from the end of the first three fields.
func aacConfig(asc []byte) (rate, channels int, err error) {
	r := &bitReader{b: asc}
	objectType, index, config := r.bits(5), r.bits(4), r.bits(4)
	if r.err != nil || objectType != 2 || index >= len(mpeg4AudioRates) || config < 1 || config > 2 {
		return 0, 0, fmt.Errorf("AAC object type %d, rate index %d, channel configuration %d", objectType, index, config)
	}
	if ga := r.bits(3); ga&3 != 0 { // frameLengthFlag, dependsOnCoreCoder, extensionFlag
		return 0, 0, errors.New("AAC that depends on a core coder or has extensions")
	}
	r.pos = 13
	for len(asc)*8-r.pos > 15 {
		if peek := *r; peek.bits(11) == 0x2b7 {
			r.bits(11)
			if ext := r.bits(5); ext == 5 && r.bit() == 0 && r.err == nil {
				return mpeg4AudioRates[index], config, nil
			}
			break
		}
		r.pos++
	}
	return 0, 0, errors.New("AAC without an explicit statement that it has no SBR")
}

// ffprobeSeconds is a time of ticks of 1/timescale s as ffprobe prints it (the count times the reciprocal
// of the timescale, six decimals) and parseProbe reads it back.
func ffprobeSeconds(ticks, timescale uint64) float64 {
	if ticks == 0 {
		return 0 // ffprobe prints a duration of 0 as N/A
	}
	return parseFloat(formatSeconds(float64(ticks) * (1 / float64(timescale))))
}

// rescaleNearest is a×b/c rounded to nearest, halves away from zero, as FFmpeg's av_rescale; ok is false
// when the result does not fit in an int64 (av_rescale's answer is then no duration).
func rescaleNearest(a, b, c uint64) (q uint64, ok bool) {
	hi, lo := bits.Mul64(a, b)
	lo, carry := bits.Add64(lo, c/2, 0)
	hi += carry
	if hi >= c {
		return 0, false
	}
	q, _ = bits.Div64(hi, lo, c)
	return q, q <= math.MaxInt64
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
