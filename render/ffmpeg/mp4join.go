package ffmpeg

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// This file joins segments in Go: the MP4 concatenation Join does when every segment is the kind the encoder
// writes (FormatSegment), without launching FFmpeg; mp4join_audio.go adds the sound.
//
// What FFmpeg does, and what is copied from it. Join's FFmpeg command reads the segments with the concat
// demuxer, which (1) offsets each segment's timestamps by the durations of those before it, (2) passes H.264
// through the h264_mp4toannexb bitstream filter (its auto_convert option), which puts the stream's SPS and PPS
// in front of every IDR picture, and the mp4 muxer then turns the start codes back into 4-byte lengths, so
// every keyframe sample grows by the parameter sets; the setts filter then snaps the timestamps onto the
// frame grid and the muxer writes one track whose edit list skips the B-frame delay, its index moved in front
// of the data (+faststart). joinPlan writes the same samples, sizes, timestamps, sync samples and edit list,
// so the packets are the same (TestJoinInGoMatchesFFmpeg compares them with framemd5), and for the encoder's
// segments the files are even byte for byte the same: the btrt bit rates, the interleaving with the sound and
// the 1 MiB chunks are computed as the muxer does.
//
// Why it is faster: the FFmpeg join reads and rewrites every byte through a process that first probes each
// segment, then rewrites the file once more to move the index to the front; here the index is built from the
// segments' sample tables (a few kilobytes each) before any data is written, so the file is written once,
// front to back, and the sample data goes from the segment files to the output with copy_file_range (io.Copy
// between two *os.File) without passing through user space. Only the first bytes of each sample are read, to
// find its NAL units. BenchmarkJoin16x1080p measures both on 16 segments of 1080p (27 MB), alternating in
// one run: 17-28 ms in Go, 585-730 ms through FFmpeg (26-34 times as fast, at load 3-5); with 30 s of sound,
// interleaved in some 2,300 runs, 35-41 ms against 616-627 ms.
//
// It is also exact where FFmpeg is not: the concat demuxer offsets a segment by its movie header's duration,
// which the muxer rounds up to a millisecond, and the errors add up; after about 34 segments of 15 frames at
// 29.97 fps the setts filter rounds onto the wrong frame, and the join holds one frame twice (a 6006-tick gap)
// and lasts a frame too long. joinPlan counts frames, not milliseconds (and the FFmpeg join now gets each
// segment's exact duration in its concat list, see writeConcatList).

// Limits on what the Go join reads from a segment (the index of a segment of a few seconds is a few
// kilobytes), and the mp4 muxer's largest chunk.
const (
	maxMoovSize  = 64 << 20
	nalReadAhead = 64 // bytes read ahead at each NAL header; most samples need one read
	mp4MaxChunk  = 1 << 20
)

// Limits on the boxes readMovie and childBoxes walk, so that a file of tiny boxes (an 8-byte box is
// valid) costs neither a read per 8 bytes of a large file nor a 64-byte mp4Box per 8 bytes of a 64 MiB
// movie box (with append's doubling, 1 GiB). The files FFmpeg writes have four or five top-level boxes
// and no box with more than a dozen children; an ftyp box names a few brands in a few dozen bytes. A
// file beyond them is refused: Probe then asks ffprobe, Join uses FFmpeg.
const (
	maxTopLevelBoxes = 1024
	maxChildBoxes    = 4096
	maxFtypSize      = 4096
)

// segmentFile is one parsed segment: its boxes needed to write the whole, and where its samples are.
type segmentFile struct {
	path string
	ftyp []byte // whole box
	mp4Track
	stsd      []byte // whole box
	btrt      int    // where the btrt box's payload starts in stsd (bit rates, see bitRates), or -1
	avcC      []byte // the avcC record inside stsd
	mediaTime int64  // edit list media time: the B-frame delay skipped
	delta     uint32
	sizes     []uint32
	offsets   []int64
	cts       []int64 // composition offset of each sample
	sync      []bool  // nil: every sample is a sync sample
}

// joinPlan is the whole joined file, decided before any byte of it is written.
type joinPlan struct {
	segs    []*segmentFile
	ps      []byte     // SPS and PPS as 4-byte-length NAL units: inserted in front of IDR pictures
	inserts [][]int64  // per segment, per sample: offset in the sample where ps goes, or -1
	sizes   []uint32   // output sample sizes
	audio   *audioFile // nil: video only
}

// planMP4Join checks that the segments (as readSegments read them) can be joined in Go: each has one H.264
// (avc1) track with 4-byte NAL lengths, the same sample description, timescale and frame duration (that of
// num/den fps), one edit list skipping the same B-frame delay, no parameter sets inside the samples, and
// frames (when > 0) frames in all. The sound (optional: "") must be an MP4 with one AAC track that ends
// before the video does (readAudio). Any other case returns the reason; Join then uses FFmpeg.
func planMP4Join(segs []*segmentFile, audio string, num, den, frames int) (*joinPlan, error) {
	if len(segs) == 0 {
		return nil, errors.New("no segments")
	}
	p := &joinPlan{segs: segs}
	first := p.segs[0]
	if uint64(first.delta)*uint64(num) != uint64(first.timescale)*uint64(den) {
		return nil, fmt.Errorf("%s: frames last %d/%d s, not 1/%v s", first.path, first.delta, first.timescale,
			float64(num)/float64(den))
	}
	for _, s := range p.segs[1:] {
		switch {
		case !bytes.Equal(s.stsdWithoutBitRates(), first.stsdWithoutBitRates()):
			return nil, fmt.Errorf("%s: its sample description differs from %s's", s.path, first.path)
		case s.timescale != first.timescale || s.delta != first.delta:
			return nil, fmt.Errorf("%s: timescale %d, frame %d ticks; %s: %d, %d", s.path, s.timescale, s.delta,
				first.path, first.timescale, first.delta)
		case s.mediaTime != first.mediaTime:
			return nil, fmt.Errorf("%s: B-frame delay %d ticks; %s: %d", s.path, s.mediaTime, first.path, first.mediaTime)
		case s.width != first.width || s.height != first.height:
			return nil, fmt.Errorf("%s: track size differs from %s's", s.path, first.path)
		}
	}
	total := 0
	for _, s := range p.segs {
		total += len(s.sizes)
	}
	if frames > 0 && total != frames {
		return nil, fmt.Errorf("the segments hold %d frames, want %d", total, frames)
	}
	if ticks := uint64(total) * uint64(first.delta); ticks > 0xffffffff ||
		ceilDiv(ticks*uint64(first.mvhdScale), uint64(first.timescale)) > 0xffffffff {
		return nil, errors.New("too long for 32-bit durations")
	}
	if audio != "" {
		if frames <= 0 {
			return nil, errors.New("sound without Frames")
		}
		a, err := readAudio(audio, float64(frames)*float64(den)/float64(num))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", audio, err)
		}
		if a.mvhdScale != first.mvhdScale {
			return nil, fmt.Errorf("%s: movie timescale %d, the segments' %d", audio, a.mvhdScale, first.mvhdScale)
		}
		p.audio = a
	}
	ps, err := parameterSets(first.avcC)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", first.path, err)
	}
	p.ps = ps
	for _, s := range p.segs {
		ins, err := findIDRs(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
		p.inserts = append(p.inserts, ins)
		for i, size := range s.sizes {
			if ins[i] >= 0 {
				size += uint32(len(ps))
			}
			p.sizes = append(p.sizes, size)
		}
	}
	return p, nil
}

// readSegments parses every segment's index, or returns the first failure. Join reads them once for both of
// its ways: the Go join's plan, and the exact durations of the FFmpeg join's concat list.
func readSegments(paths []string) ([]*segmentFile, error) {
	segs := make([]*segmentFile, 0, len(paths))
	for _, path := range paths {
		s, err := readSegment(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		segs = append(segs, s)
	}
	return segs, nil
}

// readSegment parses one segment file's index.
func readSegment(path string) (*segmentFile, error) {
	s := &segmentFile{path: path}
	ftyp, moov, size, err := readMovie(path)
	if err != nil {
		return nil, err
	}
	s.ftyp = ftyp
	if err := s.parseMoov(moov, size); err != nil {
		return nil, err
	}
	return s, checkInside(s.offsets, s.sizes, size)
}

// readMovie reads an MP4 file's ftyp box (whole) and moov payload, and returns the file's size.
func readMovie(path string) (ftyp, moov []byte, fileSize int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer f.Close()
	return readMovieFrom(f)
}

// readMovieFrom is readMovie of a file already open (the probe goes on to read its samples).
func readMovieFrom(f *os.File) (ftyp, moov []byte, fileSize int64, err error) {
	st, err := f.Stat()
	if err != nil {
		return nil, nil, 0, err
	}
	var hdr [16]byte
	for pos, boxes := int64(0), 0; pos < st.Size(); boxes++ {
		if boxes == maxTopLevelBoxes {
			return nil, nil, 0, fmt.Errorf("more than %d top-level boxes", maxTopLevelBoxes)
		}
		if _, err := f.ReadAt(hdr[:8], pos); err != nil {
			return nil, nil, 0, fmt.Errorf("box header at %d: %w", pos, err)
		}
		size, typ, hlen := int64(binary.BigEndian.Uint32(hdr[:4])), string(hdr[4:8]), int64(8)
		if size == 1 {
			if _, err := f.ReadAt(hdr[8:16], pos+8); err != nil {
				return nil, nil, 0, fmt.Errorf("box header at %d: %w", pos, err)
			}
			size, hlen = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		} else if size == 0 {
			size = st.Size() - pos
		}
		if size < hlen || size > st.Size()-pos { // not pos+size, which a 64-bit size wraps negative
			return nil, nil, 0, fmt.Errorf("box %q at %d overruns the file", typ, pos)
		}
		switch typ {
		case "ftyp", "moov":
			if (typ == "ftyp" && (size > maxFtypSize || ftyp != nil)) || size > maxMoovSize {
				return nil, nil, 0, fmt.Errorf("box %q of %d bytes, or a second one", typ, size)
			}
			b := make([]byte, size)
			if _, err := f.ReadAt(b, pos); err != nil {
				return nil, nil, 0, err
			}
			if typ == "ftyp" {
				ftyp = b
			} else if moov != nil {
				return nil, nil, 0, errors.New("two moov boxes")
			} else {
				moov = b[hlen:]
			}
		case "moof", "mfra":
			return nil, nil, 0, errors.New("fragmented MP4")
		}
		pos += size
	}
	if ftyp == nil || moov == nil {
		return nil, nil, 0, errors.New("no ftyp or no moov box")
	}
	return ftyp, moov, st.Size(), nil
}

// checkInside checks that every sample lies inside the file.
func checkInside(offsets []int64, sizes []uint32, fileSize int64) error {
	for i, off := range offsets {
		if off < 0 || off > fileSize-int64(sizes[i]) { // not off+size, which wraps negative near 1<<63
			return fmt.Errorf("sample %d lies outside the file", i+1)
		}
	}
	return nil
}

// mp4Box is one box inside a parent's payload.
type mp4Box struct {
	typ  string
	raw  []byte // header and payload
	body []byte // payload
}

// childBoxes splits a payload into its boxes.
func childBoxes(b []byte) ([]mp4Box, error) {
	var out []mp4Box
	for len(b) > 0 {
		if len(out) == maxChildBoxes {
			return nil, fmt.Errorf("more than %d boxes in one parent", maxChildBoxes)
		}
		if len(b) < 8 {
			return nil, errors.New("truncated box header")
		}
		size, hlen := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		if size == 1 {
			if len(b) < 16 {
				return nil, errors.New("truncated box header")
			}
			size, hlen = binary.BigEndian.Uint64(b[8:]), 16
		} else if size == 0 {
			size = uint64(len(b))
		}
		if size < hlen || size > uint64(len(b)) {
			return nil, fmt.Errorf("box %q overruns its parent", b[4:8])
		}
		out = append(out, mp4Box{typ: string(b[4:8]), raw: b[:size], body: b[hlen:size]})
		b = b[size:]
	}
	return out, nil
}

// knownBoxes splits the payload of a parent box into its boxes, and returns an error for a box of a type
// other than types: a box the join does not know could change what the track means.
func knownBoxes(b []byte, parent string, types ...string) ([]mp4Box, error) {
	boxes, err := childBoxes(b)
	if err != nil {
		return nil, err
	}
	for _, c := range boxes {
		if !slices.Contains(types, c.typ) {
			return nil, fmt.Errorf("unexpected %q box in %s", c.typ, parent)
		}
	}
	return boxes, nil
}

// findBoxes returns the children of type typ.
func findBoxes(boxes []mp4Box, typ string) []mp4Box {
	var found []mp4Box
	for _, b := range boxes {
		if b.typ == typ {
			found = append(found, b)
		}
	}
	return found
}

// only returns the payload of the single child of type typ, or an error when there is none or several.
func only(boxes []mp4Box, typ string) (mp4Box, error) {
	found := findBoxes(boxes, typ)
	if len(found) != 1 {
		return mp4Box{}, fmt.Errorf("%d %q boxes, want one", len(found), typ)
	}
	return found[0], nil
}

// optional returns the child of type typ, a box of no type (typ "") when there is none, or an error when
// there are several: which one counts is not for the join to guess, so Join leaves such a file to FFmpeg.
func optional(boxes []mp4Box, typ string) (mp4Box, error) {
	found := findBoxes(boxes, typ)
	switch len(found) {
	case 0:
		return mp4Box{}, nil
	case 1:
		return found[0], nil
	}
	return mp4Box{}, fmt.Errorf("%d %q boxes, want one at most", len(found), typ)
}

// fullBox checks a full box's version (and that its payload has at least n bytes after version and flags) and
// returns the payload after them.
func fullBox(b mp4Box, version byte, n int) ([]byte, error) {
	if len(b.body) < 4+n {
		return nil, fmt.Errorf("%q box too short", b.typ)
	}
	if b.body[0] != version {
		return nil, fmt.Errorf("%q box version %d", b.typ, b.body[0])
	}
	return b.body[4:], nil
}

// onlyFull is only and fullBox at once: the one child of type typ and the fields after its version and flags.
func onlyFull(boxes []mp4Box, typ string, version byte, n int) (mp4Box, []byte, error) {
	b, err := only(boxes, typ)
	if err != nil {
		return mp4Box{}, nil, err
	}
	fields, err := fullBox(b, version, n)
	return b, fields, err
}

// mp4Track is what a segment and the sound are both read for: the one track of an MP4's movie box, the
// boxes the joined file copies whole and the timescales.
type mp4Track struct {
	mvhd, tkhd, mdhd []byte   // whole boxes
	mvhdFields       []byte   // mvhd's fields after its version and flags (creation, …, timescale, duration, rate, volume, reserved, matrix)
	tkhdFields       []byte   // tkhd's, likewise (…, matrix at 36, width and height at 72)
	udta             []byte   // moov's udta, whole (may be nil)
	mdiaRest         [][]byte // mdia's boxes other than mdhd and minf (hdlr), whole
	minfRest         [][]byte // minf's boxes other than stbl (vmhd or smhd, dinf), whole
	width, height    uint32   // tkhd's, 16.16 (0 for sound)
	mvhdScale        uint32
	timescale        uint32
	mediaDuration    uint64 // mdhd's
	handler          string // hdlr's handler type: "vide", "soun", ...
}

// parseTrack reads a movie box of one track whose handler is handler ("vide", "soun"): what mp4Track keeps,
// and the bodies of the track's stbl and edts boxes, which a segment and the sound each read their own way.
func parseTrack(moov []byte, handler string) (t mp4Track, stbl, edts []byte, err error) {
	boxes, err := knownBoxes(moov, "moov", "mvhd", "trak", "udta")
	if err != nil {
		return t, nil, nil, err
	}
	if err := t.parseMvhd(boxes); err != nil {
		return t, nil, nil, err
	}
	udta, err := optional(boxes, "udta")
	if err != nil {
		return t, nil, nil, err
	}
	t.udta = udta.raw
	trak, err := only(boxes, "trak")
	if err != nil {
		return t, nil, nil, err
	}
	if stbl, edts, err = t.parseTrak(trak.body, handler, "tkhd", "edts", "mdia"); err != nil {
		return t, nil, nil, err
	}
	if edts == nil {
		return t, nil, nil, errors.New(`0 "edts" boxes, want one`)
	}
	return t, stbl, edts, nil
}

// parseMvhd reads the movie header among a movie box's children: the box and the movie timescale.
func (t *mp4Track) parseMvhd(moov []mp4Box) error {
	mvhd, mv, err := onlyFull(moov, "mvhd", 0, 96)
	if err != nil {
		return err
	}
	t.mvhd, t.mvhdFields, t.mvhdScale = mvhd.raw, mv, binary.BigEndian.Uint32(mv[8:])
	if t.mvhdScale == 0 {
		return errors.New("movie timescale 0")
	}
	return nil
}

// parseTrak reads a track box whose children are of the types allowed: the track header, the media (whose
// handler must be handler, any when ""), and returns the bodies of stbl and of edts (nil without one).
func (t *mp4Track) parseTrak(trak []byte, handler string, allowed ...string) (stbl, edts []byte, err error) {
	tboxes, err := knownBoxes(trak, "trak", allowed...)
	if err != nil {
		return nil, nil, err
	}
	tkhd, tk, err := onlyFull(tboxes, "tkhd", 0, 80)
	if err != nil {
		return nil, nil, err
	}
	t.tkhd, t.tkhdFields = tkhd.raw, tk
	t.width, t.height = binary.BigEndian.Uint32(tk[72:]), binary.BigEndian.Uint32(tk[76:])
	mdia, err := only(tboxes, "mdia")
	if err != nil {
		return nil, nil, err
	}
	if stbl, err = t.parseMdia(mdia.body, handler); err != nil {
		return nil, nil, err
	}
	e, err := optional(tboxes, "edts")
	if err != nil {
		return nil, nil, err
	}
	return stbl, e.body, nil
}

// parseMdia reads the media box: timescale and duration, the handler, and the boxes around stbl, whose body
// it returns.
func (t *mp4Track) parseMdia(mdia []byte, handler string) ([]byte, error) {
	boxes, err := childBoxes(mdia)
	if err != nil {
		return nil, err
	}
	mdhd, md, err := onlyFull(boxes, "mdhd", 0, 20)
	if err != nil {
		return nil, err
	}
	t.mdhd, t.timescale = mdhd.raw, binary.BigEndian.Uint32(md[8:])
	t.mediaDuration = uint64(binary.BigEndian.Uint32(md[12:]))
	if t.timescale == 0 {
		return nil, errors.New("media timescale 0")
	}
	_, h, err := onlyFull(boxes, "hdlr", 0, 8)
	if err != nil {
		return nil, err
	}
	if t.handler = string(h[4:8]); handler != "" && t.handler != handler {
		return nil, fmt.Errorf("not a %q track", handler)
	}
	var minf mp4Box
	for _, b := range boxes {
		switch b.typ {
		case "mdhd":
		case "minf":
			minf = b
		default:
			t.mdiaRest = append(t.mdiaRest, b.raw)
		}
	}
	mboxes, err := childBoxes(minf.body)
	if err != nil {
		return nil, err
	}
	var stbl mp4Box
	for _, b := range mboxes {
		if b.typ == "stbl" {
			stbl = b
		} else {
			t.minfRest = append(t.minfRest, b.raw)
		}
	}
	if stbl.typ == "" {
		return nil, errors.New("no stbl box")
	}
	return stbl.body, nil
}

// parseEdit reads an edit list of one edit at normal rate: its duration in the movie's timescale and where
// in the media it starts.
func parseEdit(edts []byte) (duration uint64, mediaTime int64, err error) {
	eboxes, err := childBoxes(edts)
	if err != nil {
		return 0, 0, err
	}
	_, e, err := onlyFull(eboxes, "elst", 0, 16)
	if err != nil {
		return 0, 0, err
	}
	// FFmpeg's mov demuxer counts the edits by the box's size when the count disagrees with it.
	if binary.BigEndian.Uint32(e) != 1 || len(e) != 16 {
		return 0, 0, fmt.Errorf("%d edits in %d bytes, want one", binary.BigEndian.Uint32(e), len(e))
	}
	duration, mediaTime = uint64(binary.BigEndian.Uint32(e[4:])), int64(int32(binary.BigEndian.Uint32(e[8:])))
	if rate := binary.BigEndian.Uint32(e[12:]); rate != 0x10000 || mediaTime < 0 {
		return 0, 0, errors.New("an edit that is empty or not at normal rate")
	}
	return duration, mediaTime, nil
}

// parseMoov reads the movie box of a segment file of fileSize bytes.
func (s *segmentFile) parseMoov(moov []byte, fileSize int64) error {
	var stbl, edts []byte
	var err error
	if s.mp4Track, stbl, edts, err = parseTrack(moov, "vide"); err != nil {
		return err
	}
	if err := s.parseStbl(stbl, fileSize); err != nil {
		return err
	}
	return s.parseEdts(edts)
}

// parseEdts reads the edit list: one edit, at normal rate, over the whole media after its B-frame delay.
func (s *segmentFile) parseEdts(edts []byte) error {
	duration, media, err := parseEdit(edts)
	if err != nil {
		return err
	}
	s.mediaTime = media
	ticks := s.ticks()
	if duration != ceilDiv(ticks*uint64(s.mvhdScale), uint64(s.timescale)) {
		return fmt.Errorf("the edit lasts %d/%d s, the samples %d/%d s", duration, s.mvhdScale, ticks, s.timescale)
	}
	// The first sample is the first shown, at time 0 once the delay is skipped: the concat demuxer
	// would otherwise move the segment by its start time.
	for i, c := range s.cts {
		if int64(i)*int64(s.delta)+c < media {
			return fmt.Errorf("sample %d shows before the edit's start", i+1)
		}
	}
	if len(s.cts) > 0 && s.cts[0] != media {
		return errors.New("the first sample is not shown first")
	}
	return nil
}

// parseStbl expands the sample tables into one size, offset and composition offset per sample.
func (s *segmentFile) parseStbl(stbl []byte, fileSize int64) error {
	boxes, err := knownBoxes(stbl, "stbl", "stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco", "co64")
	if err != nil {
		return err
	}
	if err := s.parseStsd(boxes); err != nil {
		return err
	}
	if s.sizes, err = sampleSizes(boxes, fileSize); err != nil {
		return err
	}
	n := len(s.sizes)
	if err := s.parseTimes(boxes, n); err != nil {
		return err
	}
	if err := s.parseSync(boxes, n); err != nil {
		return err
	}
	s.offsets, err = sampleOffsets(boxes, s.sizes)
	return err
}

// sampleSizes reads stsz. The samples of a file lie in it without overlapping, so their sizes add up to
// fileBytes at most: a table of a constant size is refused on its count before it is expanded (8 bytes of
// stsz could otherwise declare 16 million samples, which the callers expand into some 400 MB of tables).
func sampleSizes(boxes []mp4Box, fileBytes int64) ([]uint32, error) {
	_, z, err := onlyFull(boxes, "stsz", 0, 8)
	if err != nil {
		return nil, err
	}
	constant, n := binary.BigEndian.Uint32(z), int(binary.BigEndian.Uint32(z[4:]))
	if n == 0 || (constant == 0 && len(z) < 8+4*n) || n > 1<<24 {
		return nil, errors.New("no samples or a short stsz")
	}
	limit := uint64(max(fileBytes, 0))
	if uint64(n)*uint64(constant) > limit {
		return nil, fmt.Errorf("%d samples of %d bytes in a file of %d", n, constant, fileBytes)
	}
	sizes := make([]uint32, n)
	var total uint64
	for i := range sizes {
		if sizes[i] = constant; constant == 0 {
			sizes[i] = binary.BigEndian.Uint32(z[8+4*i:])
		}
		total += uint64(sizes[i])
	}
	if total > limit {
		return nil, fmt.Errorf("samples of %d bytes in a file of %d", total, fileBytes)
	}
	return sizes, nil
}

// sampleDeltas reads stts: how long each of the n samples lasts.
func sampleDeltas(boxes []mp4Box, n int) ([]uint32, error) {
	_, t, err := onlyFull(boxes, "stts", 0, 4)
	if err != nil {
		return nil, err
	}
	entries := int(binary.BigEndian.Uint32(t))
	if len(t) < 4+8*entries {
		return nil, errors.New("short stts")
	}
	deltas := make([]uint32, 0, n)
	for i := 0; i < entries; i++ {
		c, d := int(binary.BigEndian.Uint32(t[4+8*i:])), binary.BigEndian.Uint32(t[8+8*i:])
		if c > n-len(deltas) {
			return nil, fmt.Errorf("stts counts more samples than stsz's %d", n)
		}
		for j := 0; j < c; j++ {
			deltas = append(deltas, d)
		}
	}
	if len(deltas) != n {
		return nil, fmt.Errorf("stts counts %d samples, stsz %d", len(deltas), n)
	}
	return deltas, nil
}

// parseStsd keeps the sample description: one avc1 entry whose avcC says NAL units have 4-byte lengths.
func (s *segmentFile) parseStsd(boxes []mp4Box) error {
	stsd, _, ext, err := sampleEntry(boxes, "avc1", 78)
	if err != nil {
		return err
	}
	avcC, err := only(ext, "avcC")
	if err != nil {
		return err
	}
	if len(avcC.body) < 7 || avcC.body[0] != 1 || avcC.body[4]&3 != 3 {
		return errors.New("avcC is not version 1 with 4-byte NAL lengths")
	}
	s.stsd, s.avcC, s.btrt = stsd.raw, avcC.body, -1
	btrt, err := optional(ext, "btrt")
	if err != nil {
		return err
	}
	if btrt.typ != "" {
		if len(btrt.body) != 12 || binary.BigEndian.Uint32(btrt.body) != 0 {
			return errors.New("a btrt box with a buffer size")
		}
		s.btrt = bytes.Index(stsd.raw, btrt.raw) + 8 // btrt's bytes lie within stsd's
	}
	return nil
}

// sampleEntry reads stsd with one sample entry of type typ, whose own fields take fixed bytes before its
// boxes: it returns stsd, the entry's payload and those boxes.
func sampleEntry(boxes []mp4Box, typ string, fixed int) (stsd mp4Box, entry []byte, ext []mp4Box, err error) {
	if stsd, entry, err = soleSampleEntry(boxes, typ, fixed); err != nil {
		return stsd, nil, nil, err
	}
	ext, err = childBoxes(entry[fixed:])
	return stsd, entry, ext, err
}

// soleSampleEntry reads stsd with one sample entry of type typ, of at least fixed bytes: it returns stsd and
// the entry's payload.
func soleSampleEntry(boxes []mp4Box, typ string, fixed int) (stsd mp4Box, entry []byte, err error) {
	stsd, err = only(boxes, "stsd")
	if err != nil {
		return stsd, nil, err
	}
	d, err := fullBox(stsd, 0, 4)
	if err != nil {
		return stsd, nil, err
	}
	if binary.BigEndian.Uint32(d) != 1 {
		return stsd, nil, errors.New("not one sample description")
	}
	entries, err := childBoxes(d[4:])
	if err != nil || len(entries) != 1 || entries[0].typ != typ || len(entries[0].body) < fixed {
		return stsd, nil, fmt.Errorf("the sample description is not %s", typ)
	}
	return stsd, entries[0].body, nil
}

// stsdWithoutBitRates returns the sample description with the bit rates of btrt zeroed: they differ
// between segments, and the join writes its own (bitRates).
func (s *segmentFile) stsdWithoutBitRates() []byte {
	if s.btrt < 0 {
		return s.stsd
	}
	b := append([]byte(nil), s.stsd...)
	clear(b[s.btrt : s.btrt+12])
	return b
}

// ticks is how long the segment's frames last, in its timescale.
func (s *segmentFile) ticks() uint64 { return uint64(len(s.sizes)) * uint64(s.delta) }

// ticks is how long the joined video lasts, in the segments' timescale.
func (p *joinPlan) ticks() uint64 { return uint64(len(p.sizes)) * uint64(p.segs[0].delta) }

// bytesOf returns the sum of sample sizes.
func bytesOf(sizes []uint32) uint64 {
	var n uint64
	for _, size := range sizes {
		n += uint64(size)
	}
	return n
}

// bitRate is a bit rate as FFmpeg computes it: bytes × 8 over ticks of timescale, in bits per second
// rounded down.
func bitRate(bytes, timescale, ticks uint64) uint64 { return bytes * 8 * timescale / ticks }

// bitRates returns the bit rates the mp4 muxer writes for a track of the joined file (in btrt, and for the
// sound in esds too): as average, the track's bytes over its ticks (bitRate); as maximum, the larger of it
// and demuxed, the stream's bit rate as FFmpeg's mov demuxer reported it for the input the stream copy read
// (the first segment, the sound file), which the copy carries over.
func bitRates(bytes, timescale, ticks, demuxed uint64) (maxRate, avg uint32) {
	avg = uint32(bitRate(bytes, timescale, ticks))
	return uint32(max(demuxed, uint64(avg))), avg
}

// putBtrt writes a btrt box's payload at b: no buffer size, the maximum and the average bit rate.
func putBtrt(b []byte, maxRate, avg uint32) {
	binary.BigEndian.PutUint32(b, 0)
	binary.BigEndian.PutUint32(b[4:], maxRate)
	binary.BigEndian.PutUint32(b[8:], avg)
}

// parseTimes reads stts (every sample must last the same) and ctts.
func (s *segmentFile) parseTimes(boxes []mp4Box, n int) error {
	deltas, err := sampleDeltas(boxes, n)
	if err != nil {
		return err
	}
	s.delta = deltas[0]
	for _, d := range deltas {
		if d != s.delta || d == 0 {
			return errors.New("the frames do not all last the same")
		}
	}
	s.cts, err = compositionOffsets(boxes, n)
	return err
}

// compositionOffsets reads ctts: the composition offset of each of the n samples (all 0 without ctts). A
// negative offset is refused: FFmpeg's mov demuxer then shifts the decode times (its dts_shift).
func compositionOffsets(boxes []mp4Box, n int) ([]int64, error) {
	cts := make([]int64, n)
	ctts, err := optional(boxes, "ctts")
	if err != nil {
		return nil, err
	}
	if ctts.typ == "" {
		return cts, nil
	}
	if len(ctts.body) < 8 || ctts.body[0] > 1 {
		return nil, errors.New("bad ctts")
	}
	signed := ctts.body[0] == 1
	c := ctts.body[4:]
	entries := int(binary.BigEndian.Uint32(c))
	if len(c) < 4+8*entries {
		return nil, errors.New("short ctts")
	}
	k := 0
	for i := 0; i < entries; i++ {
		cnt, raw := int(binary.BigEndian.Uint32(c[4+8*i:])), binary.BigEndian.Uint32(c[8+8*i:])
		off := int64(raw)
		if signed {
			off = int64(int32(raw))
		}
		if off < 0 {
			return nil, errors.New("negative composition offsets")
		}
		if cnt > n-k {
			return nil, errors.New("ctts counts more samples than stsz")
		}
		for j := 0; j < cnt; j++ {
			cts[k] = off
			k++
		}
	}
	if k != n {
		return nil, fmt.Errorf("ctts counts %d samples, stsz %d", k, n)
	}
	return cts, nil
}

// parseSync reads stss; without it every sample is a sync sample.
func (s *segmentFile) parseSync(boxes []mp4Box, n int) error {
	stss, err := optional(boxes, "stss")
	if err != nil {
		return err
	}
	if stss.typ == "" {
		return nil
	}
	t, err := fullBox(stss, 0, 4)
	if err != nil {
		return err
	}
	entries := int(binary.BigEndian.Uint32(t))
	if len(t) < 4+4*entries {
		return errors.New("short stss")
	}
	s.sync = make([]bool, n)
	for i := 0; i < entries; i++ {
		k := int(binary.BigEndian.Uint32(t[4+4*i:]))
		if k < 1 || k > n {
			return fmt.Errorf("stss names sample %d of %d", k, n)
		}
		s.sync[k-1] = true
	}
	return nil
}

// sampleOffsets reads stsc and stco/co64 into one file offset per sample.
func sampleOffsets(boxes []mp4Box, sizes []uint32) ([]int64, error) {
	n := len(sizes)
	var chunks []int64
	for _, b := range boxes {
		if b.typ != "stco" && b.typ != "co64" {
			continue
		}
		if chunks != nil {
			return nil, errors.New("two chunk offset boxes")
		}
		t, err := fullBox(b, 0, 4)
		if err != nil {
			return nil, err
		}
		entries, width := int(binary.BigEndian.Uint32(t)), 4
		if b.typ == "co64" {
			width = 8
		}
		if entries > n || len(t) < 4+width*entries {
			return nil, errors.New("short chunk offset box")
		}
		chunks = make([]int64, entries)
		for i := range chunks {
			if width == 4 {
				chunks[i] = int64(binary.BigEndian.Uint32(t[4+4*i:]))
			} else {
				chunks[i] = int64(binary.BigEndian.Uint64(t[4+8*i:]))
			}
		}
	}
	if len(chunks) == 0 {
		return nil, errors.New("no chunk offsets")
	}
	_, t, err := onlyFull(boxes, "stsc", 0, 4)
	if err != nil {
		return nil, err
	}
	entries := int(binary.BigEndian.Uint32(t))
	if entries == 0 || len(t) < 4+12*entries {
		return nil, errors.New("short stsc")
	}
	offsets := make([]int64, 0, n)
	for i := 0; i < entries; i++ {
		firstChunk, perChunk := int(binary.BigEndian.Uint32(t[4+12*i:])), int(binary.BigEndian.Uint32(t[8+12*i:]))
		if desc := binary.BigEndian.Uint32(t[12+12*i:]); desc != 1 {
			return nil, errors.New("samples of several descriptions")
		}
		lastChunk := len(chunks)
		if i+1 < entries {
			lastChunk = int(binary.BigEndian.Uint32(t[16+12*i:])) - 1
		}
		if firstChunk < 1 || lastChunk > len(chunks) || lastChunk < firstChunk-1 || perChunk > n {
			return nil, errors.New("bad stsc")
		}
		for c := firstChunk; c <= lastChunk; c++ {
			off := chunks[c-1]
			for j := 0; j < perChunk; j++ {
				if len(offsets) == n {
					return nil, errors.New("stsc places more samples than stsz has")
				}
				offsets = append(offsets, off)
				off += int64(sizes[len(offsets)-1])
			}
		}
	}
	if len(offsets) != n {
		return nil, fmt.Errorf("stsc places %d samples, stsz has %d", len(offsets), n)
	}
	return offsets, nil
}

// parameterSets returns the SPS and PPS of an avcC record as 4-byte-length NAL units, SPS first: what
// h264_mp4toannexb puts in front of an IDR picture, as the mp4 muxer stores it.
func parameterSets(avcC []byte) ([]byte, error) {
	sps, pps, err := avcCParameterSets(avcC)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, nal := range append(sps, pps...) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(nal)))
		out = append(out, nal...)
	}
	return out, nil
}

// avcCParameterSets returns the SPS and PPS NAL units an avcC record lists (each list holds one at least).
func avcCParameterSets(avcC []byte) (sps, pps [][]byte, err error) {
	if len(avcC) < 6 {
		return nil, nil, errors.New("short avcC")
	}
	b := avcC[5:]
	for _, kind := range []string{"SPS", "PPS"} {
		if len(b) < 1 {
			return nil, nil, errors.New("short avcC")
		}
		count := int(b[0])
		if kind == "SPS" {
			count &= 0x1f
		}
		b = b[1:]
		if count == 0 {
			return nil, nil, fmt.Errorf("avcC has no %s", kind)
		}
		var list [][]byte
		for i := 0; i < count; i++ {
			if len(b) < 2 {
				return nil, nil, errors.New("short avcC")
			}
			n := int(binary.BigEndian.Uint16(b))
			if n == 0 || len(b) < 2+n {
				return nil, nil, errors.New("short avcC")
			}
			list, b = append(list, b[2:2+n]), b[2+n:]
		}
		if kind == "SPS" {
			sps = list
		} else {
			pps = list
		}
	}
	return sps, pps, nil
}

// findIDRs walks the NAL units of every sample of s (reading only their headers) and returns, per sample,
// where h264_mp4toannexb would insert the parameter sets (the offset of the IDR slice in the sample) or -1.
// Its rule, with no parameter sets inside the samples: in front of an IDR slice whose first_mb_in_slice is 0
// (a new picture), or the first IDR slice of the file or after a non-IDR slice. Samples whose NAL lengths do
// not add up, or that carry an SPS or PPS (the filter then behaves otherwise), are refused.
func findIDRs(s *segmentFile) ([]int64, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make([]int64, len(s.sizes))
	nals := nalWalker{f: f, nalLength: 4}
	newIDR := true
	for i, size := range s.sizes {
		out[i] = -1
		err := nals.walk(s.offsets[i], int64(size), func(pos, n int64, h []byte) error {
			switch typ := h[0] & 0x1f; typ {
			case 7, 8:
				return errors.New("it carries a parameter set")
			case 5:
				if n < 2 {
					return errors.New("empty IDR slice")
				}
				if h[1]&0x80 != 0 {
					newIDR = true
				}
				if newIDR {
					if out[i] >= 0 {
						return errors.New("it holds two IDR pictures")
					}
					out[i], newIDR = pos, false
				}
			case 1:
				newIDR = true
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sample %d: %w", i+1, err)
		}
	}
	return out, nil
}

// nalWalker walks the length-prefixed NAL units of samples, reading only their headers: nalReadAhead bytes
// at a time, so that most samples cost one read.
type nalWalker struct {
	f         io.ReaderAt
	nalLength int // bytes of each unit's length prefix (1 to 4)
	buf       [nalReadAhead]byte
}

// walk calls fn for each NAL unit of the size bytes at base, with its offset in the sample, its length and its
// first bytes (the NAL header, and the byte after it when the unit has one). It fails when the lengths do
// not add up to size, and with fn's error.
func (w *nalWalker) walk(base, size int64, fn func(pos, n int64, h []byte) error) error {
	var have []byte // bytes read at base+haveAt
	haveAt := int64(0)
	prefix := int64(w.nalLength)
	for pos := int64(0); pos < size; {
		if size-pos < prefix+1 {
			return errors.New("truncated NAL unit")
		}
		if pos < haveAt || pos+prefix+2 > haveAt+int64(len(have)) {
			n := min(int64(len(w.buf)), size-pos)
			if _, err := w.f.ReadAt(w.buf[:n], base+pos); err != nil {
				return err
			}
			have, haveAt = w.buf[:n], pos
		}
		h := have[pos-haveAt:]
		n := int64(0)
		for _, c := range h[:prefix] {
			n = n<<8 | int64(c)
		}
		if n == 0 || pos+prefix+n > size {
			return errors.New("NAL lengths do not add up to its size")
		}
		if err := fn(pos, n, h[prefix:min(len(h), int(prefix)+2)]); err != nil {
			return err
		}
		pos += prefix + n
	}
	return nil
}

// ceilDiv returns a/b rounded up.
func ceilDiv(a, b uint64) uint64 { return (a + b - 1) / b }

// boxWriter builds MP4 boxes in memory.
type boxWriter struct{ b []byte }

// open starts a box and returns where its size goes.
func (w *boxWriter) open(typ string) int {
	at := len(w.b)
	w.b = append(w.b, 0, 0, 0, 0)
	w.b = append(w.b, typ...)
	return at
}

// close writes the size of the box opened at at.
func (w *boxWriter) close(at int) {
	binary.BigEndian.PutUint32(w.b[at:], uint32(len(w.b)-at))
}

// full starts a full box with version and flags.
func (w *boxWriter) full(typ string, version byte, flags uint32) int {
	at := w.open(typ)
	w.u32(uint32(version)<<24 | flags)
	return at
}

func (w *boxWriter) u32(v uint32) { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *boxWriter) u64(v uint64) { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *boxWriter) raw(b []byte) { w.b = append(w.b, b...) }

// patched returns a copy of a version-0 full box with the 32-bit field at byte off of its payload (after
// version and flags) set to v.
func patched(box []byte, off int, v uint32) []byte {
	b := append([]byte(nil), box...)
	binary.BigEndian.PutUint32(b[8+4+off:], v)
	return b
}

// moov writes the movie box of the joined file, whose sample data starts at dataStart; co64 chooses 64-bit
// chunk offsets.
func (p *joinPlan) moov(l *layout, dataStart int64, co64 bool) []byte {
	first := p.segs[0]
	ticks := p.ticks()
	movieDur := uint32(ceilDiv(ticks*uint64(first.mvhdScale), uint64(first.timescale)))
	var w boxWriter
	moov := w.open("moov")
	mvhd := patched(first.mvhd, 12, max(movieDur, p.audio.movieDuration())) // creation, modification, timescale, duration
	if p.audio != nil {
		mvhd = patched(mvhd, 92, 3) // next track id
	}
	w.raw(mvhd)
	// tkhd: creation, modification, track id, reserved, duration
	first.writeTrak(&w, patched(first.tkhd, 16, movieDur), movieDur, first.mediaTime, ticks, func() {
		stsd := first.stsdWithoutBitRates()
		if first.btrt >= 0 {
			demuxed := bitRate(bytesOf(first.sizes), uint64(first.timescale), first.ticks())
			maxRate, avg := bitRates(bytesOf(p.sizes), uint64(first.timescale), ticks, demuxed)
			putBtrt(stsd[first.btrt:], maxRate, avg)
		}
		w.raw(stsd)
		p.sampleTables(&w)
		l.video.write(&w, p.sizes, dataStart, co64)
	})
	if p.audio != nil {
		p.audio.trak(&w, &l.audio, dataStart, co64)
	}
	if first.udta != nil {
		w.raw(first.udta)
	}
	w.close(moov)
	return w.b
}

// writeTrak writes the track's trak box: tkhd as given, an edit of duration (movie timescale) from
// mediaTime on, and mdia as read but for mdhd's duration (ticks), around the sample tables stbl writes.
func (t *mp4Track) writeTrak(w *boxWriter, tkhd []byte, duration uint32, mediaTime int64, ticks uint64, stbl func()) {
	trak := w.open("trak")
	w.raw(tkhd)
	writeEdit(w, duration, mediaTime)
	mdia := w.open("mdia")
	w.raw(patched(t.mdhd, 12, uint32(ticks)))
	for _, b := range t.mdiaRest {
		w.raw(b)
	}
	minf := w.open("minf")
	for _, b := range t.minfRest {
		w.raw(b)
	}
	st := w.open("stbl")
	stbl()
	w.close(st)
	w.close(minf)
	w.close(mdia)
	w.close(trak)
}

// writeRuns writes a table box of (count, value) runs of equal values, as stts and ctts are.
func writeRuns[T uint32 | int64](w *boxWriter, typ string, values []T) {
	box := w.full(typ, 0, 0)
	at := len(w.b)
	w.u32(0)
	entries := uint32(0)
	for i := 0; i < len(values); {
		j := i + 1
		for j < len(values) && values[j] == values[i] {
			j++
		}
		w.u32(uint32(j - i))
		w.u32(uint32(values[i]))
		entries++
		i = j
	}
	binary.BigEndian.PutUint32(w.b[at:], entries)
	w.close(box)
}

// writeEdit writes an edts box with one edit: duration in the movie's timescale, from mediaTime on.
func writeEdit(w *boxWriter, duration uint32, mediaTime int64) {
	edts := w.open("edts")
	elst := w.full("elst", 0, 0)
	w.u32(1)
	w.u32(duration)
	w.u32(uint32(mediaTime))
	w.u32(0x10000)
	w.close(elst)
	w.close(edts)
}

// sampleTables writes the video's stts, stss, ctts for the whole, in the mp4 muxer's order; stsc, stsz and
// stco/co64 follow (chunks.write).
func (p *joinPlan) sampleTables(w *boxWriter) {
	first := p.segs[0]
	stts := w.full("stts", 0, 0)
	w.u32(1)
	w.u32(uint32(len(p.sizes)))
	w.u32(first.delta)
	w.close(stts)

	var sync []uint32
	var cts []int64
	anyCTS := false
	k := uint32(0)
	for _, s := range p.segs {
		for i := range s.sizes {
			k++
			if s.sync == nil || s.sync[i] {
				sync = append(sync, k)
			}
			cts = append(cts, s.cts[i])
			anyCTS = anyCTS || s.cts[i] != 0
		}
	}
	if len(sync) < len(p.sizes) {
		stss := w.full("stss", 0, 0)
		w.u32(uint32(len(sync)))
		for _, k := range sync {
			w.u32(k)
		}
		w.close(stss)
	}
	if anyCTS {
		writeRuns(w, "ctts", cts)
	}
}

// chunks are one track's samples in the joined file, grouped as the mp4 muxer groups them: samples that
// follow each other in the file, while the chunk stays under 1 MiB.
type chunks struct {
	offsets  []int64 // of each chunk, from the start of the sample data
	perChunk []uint32
	end      int64 // where the track's last sample ends
	size     uint64
}

// add places the track's next sample, of size bytes, at pos.
func (c *chunks) add(pos int64, size uint32) {
	if len(c.offsets) == 0 || c.end != pos || c.size+uint64(size) >= mp4MaxChunk {
		c.offsets = append(c.offsets, pos)
		c.perChunk = append(c.perChunk, 0)
		c.size = 0
	}
	c.size += uint64(size)
	c.perChunk[len(c.perChunk)-1]++
	c.end = pos + int64(size)
}

// write writes stsc, stsz and stco (or co64) for the chunks of the track's samples of sizes (all of them, as
// they were added), the sample data starting at dataStart.
func (c *chunks) write(w *boxWriter, sizes []uint32, dataStart int64, co64 bool) {
	stsc := w.full("stsc", 0, 0)
	at := len(w.b)
	w.u32(0)
	entries := uint32(0)
	for i, n := range c.perChunk {
		if i > 0 && n == c.perChunk[i-1] {
			continue
		}
		w.u32(uint32(i + 1))
		w.u32(n)
		w.u32(1)
		entries++
	}
	binary.BigEndian.PutUint32(w.b[at:], entries)
	w.close(stsc)

	stsz := w.full("stsz", 0, 0)
	w.u32(0)
	w.u32(uint32(len(sizes)))
	for _, size := range sizes {
		w.u32(size)
	}
	w.close(stsz)

	typ := "stco"
	if co64 {
		typ = "co64"
	}
	co := w.full(typ, 0, 0)
	w.u32(uint32(len(c.offsets)))
	for _, o := range c.offsets {
		if co64 {
			w.u64(uint64(dataStart + o))
		} else {
			w.u32(uint32(dataStart + o))
		}
	}
	w.close(co)
}

// layout is the order of the samples in the joined file's mdat and the chunks of each track.
type layout struct {
	audioAt      []bool // per sample in file order: an audio sample (else the next video sample)
	video, audio chunks
	data         uint64 // bytes of sample data
}

// layout interleaves the tracks as FFmpeg's muxer does (av_interleaved_write_frame): by decode time, the
// video first when both are equal.
func (p *joinPlan) layout() *layout {
	l := &layout{}
	first := p.segs[0]
	vts, d, m := int64(first.timescale), int64(first.delta), first.mediaTime
	na := 0
	var ats int64
	if p.audio != nil {
		na, ats = len(p.audio.durations), int64(p.audio.timescale)
	}
	pos := int64(0)
	for v, a := 0, 0; v < len(p.sizes) || a < na; {
		audio := v == len(p.sizes) || (a < na && p.audio.dts[a]*vts < (int64(v)*d-m)*ats)
		if audio {
			size := p.audio.sizes[a]
			l.audio.add(pos, size)
			pos += int64(size)
			a++
		} else {
			size := p.sizes[v]
			l.video.add(pos, size)
			pos += int64(size)
			v++
		}
		l.audioAt = append(l.audioAt, audio)
	}
	l.data = uint64(pos)
	return l
}

// write writes the joined file to out: ftyp, moov, then mdat with every segment's samples (each IDR picture
// preceded by the parameter sets) and the audio's, interleaved. The sample bytes are copied file to file
// (copy_file_range on Linux).
func (p *joinPlan) write(ctx context.Context, out string) (err error) {
	l := p.layout()
	ftyp := p.segs[0].ftyp
	// An empty free box in front of mdat, as the mp4 muxer writes (room to grow mdat's header to 64 bits).
	mdatHeader := 8 + 8
	if l.data+8 > 0xffffffff {
		mdatHeader = 8 + 16
	}
	head := int64(len(ftyp)) + int64(len(p.moov(l, 0, false))) + int64(mdatHeader)
	co64 := uint64(head)+l.data > 0xffffffff
	moov := p.moov(l, head, co64)
	if co64 {
		head = int64(len(ftyp)) + int64(len(moov)) + int64(mdatHeader)
		moov = p.moov(l, head, true)
	}

	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	var w boxWriter
	w.raw(ftyp)
	w.raw(moov)
	w.u32(8)
	w.raw([]byte("free"))
	if mdatHeader == 8+16 {
		w.u32(1)
		w.raw([]byte("mdat"))
		w.u64(l.data + 16)
	} else {
		w.u32(uint32(l.data + 8))
		w.raw([]byte("mdat"))
	}
	if _, err := f.Write(w.b); err != nil {
		return err
	}
	return p.copySamples(ctx, f, l)
}

// copySamples appends the samples to f in the layout's order: runs of bytes that follow each other in one
// source file are copied in one io.Copy, and the parameter sets are written where the plan's inserts say.
func (p *joinPlan) copySamples(ctx context.Context, f *os.File, l *layout) error {
	c := &copier{dst: f}
	var audio *os.File
	if p.audio != nil {
		var err error
		if audio, err = os.Open(p.audio.path); err != nil {
			return err
		}
		defer audio.Close()
	}
	seg, idx, a := 0, 0, 0
	var src *os.File // the open segment
	defer func() {
		if src != nil {
			src.Close()
		}
	}()
	for _, isAudio := range l.audioAt {
		if isAudio {
			off := p.audio.offsets[a]
			if err := c.add(audio, off, off+int64(p.audio.sizes[a])); err != nil {
				return fmt.Errorf("copy %s: %w", p.audio.path, err)
			}
			a++
			continue
		}
		for idx == len(p.segs[seg].sizes) {
			seg, idx = seg+1, 0
		}
		s := p.segs[seg]
		if idx == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := c.flush(); err != nil {
				return err
			}
			if src != nil {
				src.Close()
			}
			var err error
			if src, err = os.Open(s.path); err != nil {
				return err
			}
		}
		start, end := s.offsets[idx], s.offsets[idx]+int64(s.sizes[idx])
		if at := p.inserts[seg][idx]; at >= 0 {
			if err := c.add(src, start, start+at); err != nil {
				return fmt.Errorf("copy %s: %w", s.path, err)
			}
			if err := c.write(p.ps); err != nil {
				return err
			}
			start += at
		}
		if err := c.add(src, start, end); err != nil {
			return fmt.Errorf("copy %s: %w", s.path, err)
		}
		idx++
	}
	return c.flush()
}

// copier copies byte ranges of source files to dst, merging ranges that follow each other in one file.
type copier struct {
	dst        *os.File
	src        *os.File
	start, end int64
}

// add queues the bytes [from, to) of src.
func (c *copier) add(src *os.File, from, to int64) error {
	if src != c.src || from != c.end {
		if err := c.flush(); err != nil {
			return err
		}
		c.src, c.start = src, from
	}
	c.end = to
	return nil
}

// flush copies the queued range.
func (c *copier) flush() error {
	if c.src == nil || c.end <= c.start {
		c.src = nil
		return nil
	}
	if _, err := c.src.Seek(c.start, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(c.dst, io.LimitReader(c.src, c.end-c.start))
	if err == nil && n != c.end-c.start {
		err = io.ErrUnexpectedEOF
	}
	c.src = nil
	return err
}

// write flushes the queued range and writes b.
func (c *copier) write(b []byte) error {
	if err := c.flush(); err != nil {
		return err
	}
	_, err := c.dst.Write(b)
	return err
}
