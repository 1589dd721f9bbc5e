package ffmpeg

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// This file joins segments in Go: the MP4 concatenation Join does when every segment is the kind the encoder
// writes (FormatSegment), without launching FFmpeg.
//
// What FFmpeg does, and what is copied from it. Join's FFmpeg command reads the segments with the concat
// demuxer, which (1) offsets each segment's timestamps by the durations of those before it, (2) passes H.264
// through the h264_mp4toannexb bitstream filter (its auto_convert option), which puts the stream's SPS and PPS
// in front of every IDR picture, and the mp4 muxer then turns the start codes back into 4-byte lengths, so
// every keyframe sample grows by the parameter sets; the setts filter then snaps the timestamps onto the
// frame grid and the muxer writes one track whose edit list skips the B-frame delay, its index moved in front
// of the data (+faststart). joinPlan writes the same samples, sizes, timestamps, sync samples and edit list,
// so the packets are the same (TestJoinInGoMatchesFFmpeg compares them with framemd5), and for the encoder's
// segments the files are even byte for byte the same: the btrt bit rates and the 1 MiB chunks are computed as
// the muxer does.
//
// Why it is faster: the FFmpeg join reads and rewrites every byte through a process that first probes each
// segment, then rewrites the file once more to move the index to the front; here the index is built from the
// segments' sample tables (a few kilobytes each) before any data is written, so the file is written once,
// front to back, and the sample data goes from the segment files to the output with copy_file_range (io.Copy
// between two *os.File) without passing through user space. Only the first bytes of each sample are read, to
// find its NAL units. BenchmarkJoin16x1080p measures both on 16 segments of 1080p (27 MB), alternating in
// one run: 17-28 ms in Go, 585-730 ms through FFmpeg (26-34 times as fast, at load 3-5).
//
// It is also exact where FFmpeg is not: the concat demuxer offsets a segment by its movie header's duration,
// which the muxer rounds up to a millisecond, and the errors add up; after about 34 segments of 15 frames at
// 29.97 fps the setts filter rounds onto the wrong frame, and the join holds one frame twice (a 6006-tick gap)
// and lasts a frame too long. joinPlan counts frames, not milliseconds.

// errNotJoinable is wrapped by the reasons joinPlan refuses a segment list; Join then uses FFmpeg.
var errNotJoinable = errors.New("not joinable in Go")

// notJoinable returns an errNotJoinable with the reason.
func notJoinable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errNotJoinable, fmt.Sprintf(format, args...))
}

// Limits on what joinPlan reads from a segment: the index of a segment of a few seconds is a few kilobytes.
const (
	maxMoovSize    = 64 << 20
	maxNALsPerRead = 64 // bytes read ahead at each NAL header; most samples need one read
	mp4MaxChunk    = 1 << 20
)

// segmentFile is one parsed segment: its boxes needed to write the whole, and where its samples are.
type segmentFile struct {
	path      string
	ftyp      []byte // whole box
	mvhd      []byte // whole box
	tkhd      []byte
	mdhd      []byte
	mdiaRest  [][]byte // mdia's boxes other than mdhd and minf (hdlr), whole
	minfRest  [][]byte // minf's boxes other than stbl (vmhd, dinf), whole
	udta      []byte   // moov's udta, whole (may be nil)
	stsd      []byte   // whole box
	btrt      int      // where the btrt box's payload starts in stsd (bit rates, see bitRates), or -1
	avcC      []byte   // the avcC record inside stsd
	timescale uint32
	mvhdScale uint32
	mediaTime int64 // edit list media time: the B-frame delay skipped
	delta     uint32
	sizes     []uint32
	offsets   []int64
	cts       []int64 // composition offset of each sample
	sync      []bool  // nil: every sample is a sync sample
	width     uint32  // tkhd's, 16.16
	height    uint32
}

// joinPlan is the whole joined file, decided before any byte of it is written.
type joinPlan struct {
	segs    []*segmentFile
	ps      []byte    // SPS and PPS as 4-byte-length NAL units: inserted in front of IDR pictures
	inserts [][]int64 // per segment, per sample: offset in the sample where ps goes, or -1
	sizes   []uint32  // output sample sizes
	total   int
}

// planMP4Join reads the segments' indexes and checks they can be joined in Go: each has one H.264 (avc1)
// track with 4-byte NAL lengths, the same sample description, timescale and frame duration (that of num/den
// fps), one edit list skipping the same B-frame delay, no parameter sets inside the samples, and frames
// (when > 0) frames in all. Any other case returns an error wrapping errNotJoinable.
func planMP4Join(segments []string, num, den, frames int) (*joinPlan, error) {
	p := &joinPlan{}
	for _, path := range segments {
		s, err := readSegment(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", errNotJoinable, path, err)
		}
		p.segs = append(p.segs, s)
	}
	first := p.segs[0]
	if uint64(first.delta)*uint64(num) != uint64(first.timescale)*uint64(den) {
		return nil, notJoinable("%s: frames last %d/%d s, not 1/%v s", first.path, first.delta, first.timescale,
			float64(num)/float64(den))
	}
	for _, s := range p.segs[1:] {
		switch {
		case !bytes.Equal(s.stsdWithoutBitRates(), first.stsdWithoutBitRates()):
			return nil, notJoinable("%s: its sample description differs from %s's", s.path, first.path)
		case s.timescale != first.timescale || s.delta != first.delta:
			return nil, notJoinable("%s: timescale %d, frame %d ticks; %s: %d, %d", s.path, s.timescale, s.delta,
				first.path, first.timescale, first.delta)
		case s.mediaTime != first.mediaTime:
			return nil, notJoinable("%s: B-frame delay %d ticks; %s: %d", s.path, s.mediaTime, first.path, first.mediaTime)
		case s.width != first.width || s.height != first.height:
			return nil, notJoinable("%s: track size differs from %s's", s.path, first.path)
		}
	}
	for _, s := range p.segs {
		p.total += len(s.sizes)
	}
	if frames > 0 && p.total != frames {
		return nil, notJoinable("the segments hold %d frames, want %d", p.total, frames)
	}
	if ticks := uint64(p.total) * uint64(first.delta); ticks > 0xffffffff ||
		ceilDiv(ticks*uint64(first.mvhdScale), uint64(first.timescale)) > 0xffffffff {
		return nil, notJoinable("too long for 32-bit durations")
	}
	ps, err := parameterSets(first.avcC)
	if err != nil {
		return nil, notJoinable("%s: %v", first.path, err)
	}
	p.ps = ps
	for _, s := range p.segs {
		ins, err := findIDRs(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", errNotJoinable, s.path, err)
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

// readSegment parses one segment file's index.
func readSegment(path string) (*segmentFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	s := &segmentFile{path: path}
	var moov []byte
	var hdr [16]byte
	for pos := int64(0); pos < st.Size(); {
		if _, err := f.ReadAt(hdr[:8], pos); err != nil {
			return nil, fmt.Errorf("box header at %d: %w", pos, err)
		}
		size, typ, hlen := int64(binary.BigEndian.Uint32(hdr[:4])), string(hdr[4:8]), int64(8)
		if size == 1 {
			if _, err := f.ReadAt(hdr[8:16], pos+8); err != nil {
				return nil, fmt.Errorf("box header at %d: %w", pos, err)
			}
			size, hlen = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		} else if size == 0 {
			size = st.Size() - pos
		}
		if size < hlen || pos+size > st.Size() {
			return nil, fmt.Errorf("box %q at %d overruns the file", typ, pos)
		}
		switch typ {
		case "ftyp", "moov":
			if size > maxMoovSize {
				return nil, fmt.Errorf("box %q of %d bytes", typ, size)
			}
			b := make([]byte, size)
			if _, err := f.ReadAt(b, pos); err != nil {
				return nil, err
			}
			if typ == "ftyp" {
				s.ftyp = b
			} else if moov != nil {
				return nil, errors.New("two moov boxes")
			} else {
				moov = b[hlen:]
			}
		case "moof", "mfra":
			return nil, errors.New("fragmented MP4")
		}
		pos += size
	}
	if s.ftyp == nil || moov == nil {
		return nil, errors.New("no ftyp or no moov box")
	}
	if err := s.parseMoov(moov); err != nil {
		return nil, err
	}
	for i, off := range s.offsets {
		if off < 0 || off+int64(s.sizes[i]) > st.Size() {
			return nil, fmt.Errorf("sample %d lies outside the file", i+1)
		}
	}
	return s, nil
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

// only returns the payload of the single child of type typ, or an error when there is none or several.
func only(boxes []mp4Box, typ string) (mp4Box, error) {
	var found []mp4Box
	for _, b := range boxes {
		if b.typ == typ {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		return mp4Box{}, fmt.Errorf("%d %q boxes, want one", len(found), typ)
	}
	return found[0], nil
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

// parseMoov reads the movie box of a segment.
func (s *segmentFile) parseMoov(moov []byte) error {
	boxes, err := childBoxes(moov)
	if err != nil {
		return err
	}
	for _, b := range boxes {
		switch b.typ {
		case "mvhd", "trak", "udta":
		default:
			return fmt.Errorf("unexpected %q box in moov", b.typ)
		}
	}
	mvhd, err := only(boxes, "mvhd")
	if err != nil {
		return err
	}
	mv, err := fullBox(mvhd, 0, 96)
	if err != nil {
		return err
	}
	s.mvhd, s.mvhdScale = mvhd.raw, binary.BigEndian.Uint32(mv[8:])
	if s.mvhdScale == 0 {
		return errors.New("movie timescale 0")
	}
	if u, err := only(boxes, "udta"); err == nil {
		s.udta = u.raw
	}
	trak, err := only(boxes, "trak")
	if err != nil {
		return err
	}
	tboxes, err := childBoxes(trak.body)
	if err != nil {
		return err
	}
	for _, b := range tboxes {
		if b.typ != "tkhd" && b.typ != "edts" && b.typ != "mdia" {
			return fmt.Errorf("unexpected %q box in trak", b.typ)
		}
	}
	tkhd, err := only(tboxes, "tkhd")
	if err != nil {
		return err
	}
	tk, err := fullBox(tkhd, 0, 80)
	if err != nil {
		return err
	}
	s.tkhd, s.width, s.height = tkhd.raw, binary.BigEndian.Uint32(tk[72:]), binary.BigEndian.Uint32(tk[76:])
	mdia, err := only(tboxes, "mdia")
	if err != nil {
		return err
	}
	if err := s.parseMdia(mdia.body); err != nil {
		return err
	}
	edts, err := only(tboxes, "edts")
	if err != nil {
		return err
	}
	return s.parseEdts(edts.body)
}

// parseEdts reads the edit list: one edit, at normal rate, over the whole media after its B-frame delay.
func (s *segmentFile) parseEdts(edts []byte) error {
	eboxes, err := childBoxes(edts)
	if err != nil {
		return err
	}
	elst, err := only(eboxes, "elst")
	if err != nil {
		return err
	}
	e, err := fullBox(elst, 0, 16)
	if err != nil {
		return err
	}
	if binary.BigEndian.Uint32(e) != 1 {
		return fmt.Errorf("%d edits, want one", binary.BigEndian.Uint32(e))
	}
	duration, media := uint64(binary.BigEndian.Uint32(e[4:])), int64(int32(binary.BigEndian.Uint32(e[8:])))
	if rate := binary.BigEndian.Uint32(e[12:]); rate != 0x10000 || media < 0 {
		return errors.New("an edit that is empty or not at normal rate")
	}
	s.mediaTime = media
	ticks := uint64(len(s.sizes)) * uint64(s.delta)
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

// parseMdia reads the media box: timescale, handler, sample description and sample tables.
func (s *segmentFile) parseMdia(mdia []byte) error {
	boxes, err := childBoxes(mdia)
	if err != nil {
		return err
	}
	mdhd, err := only(boxes, "mdhd")
	if err != nil {
		return err
	}
	md, err := fullBox(mdhd, 0, 20)
	if err != nil {
		return err
	}
	s.mdhd, s.timescale = mdhd.raw, binary.BigEndian.Uint32(md[8:])
	if s.timescale == 0 {
		return errors.New("media timescale 0")
	}
	hdlr, err := only(boxes, "hdlr")
	if err != nil {
		return err
	}
	if h, err := fullBox(hdlr, 0, 8); err != nil || string(h[4:8]) != "vide" {
		return errors.New("not a video track")
	}
	var minf mp4Box
	for _, b := range boxes {
		switch b.typ {
		case "mdhd":
		case "minf":
			minf = b
		default:
			s.mdiaRest = append(s.mdiaRest, b.raw)
		}
	}
	mboxes, err := childBoxes(minf.body)
	if err != nil {
		return err
	}
	var stbl mp4Box
	for _, b := range mboxes {
		if b.typ == "stbl" {
			stbl = b
		} else {
			s.minfRest = append(s.minfRest, b.raw)
		}
	}
	if stbl.typ == "" {
		return errors.New("no stbl box")
	}
	return s.parseStbl(stbl.body)
}

// parseStbl expands the sample tables into one size, offset and composition offset per sample.
func (s *segmentFile) parseStbl(stbl []byte) error {
	boxes, err := childBoxes(stbl)
	if err != nil {
		return err
	}
	for _, b := range boxes {
		switch b.typ {
		case "stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco", "co64", "sdtp", "sgpd", "sbgp":
		default:
			return fmt.Errorf("unexpected %q box in stbl", b.typ)
		}
	}
	if err := s.parseStsd(boxes); err != nil {
		return err
	}
	stsz, err := only(boxes, "stsz")
	if err != nil {
		return err
	}
	z, err := fullBox(stsz, 0, 8)
	if err != nil {
		return err
	}
	constant, n := binary.BigEndian.Uint32(z), int(binary.BigEndian.Uint32(z[4:]))
	if n == 0 || (constant == 0 && len(z) < 8+4*n) || n > 1<<24 {
		return errors.New("no samples or a short stsz")
	}
	s.sizes = make([]uint32, n)
	for i := range s.sizes {
		if s.sizes[i] = constant; constant == 0 {
			s.sizes[i] = binary.BigEndian.Uint32(z[8+4*i:])
		}
	}
	if err := s.parseTimes(boxes, n); err != nil {
		return err
	}
	if err := s.parseSync(boxes, n); err != nil {
		return err
	}
	return s.parseChunks(boxes, n)
}

// parseStsd keeps the sample description: one avc1 entry whose avcC says NAL units have 4-byte lengths.
func (s *segmentFile) parseStsd(boxes []mp4Box) error {
	stsd, err := only(boxes, "stsd")
	if err != nil {
		return err
	}
	d, err := fullBox(stsd, 0, 4)
	if err != nil {
		return err
	}
	if binary.BigEndian.Uint32(d) != 1 {
		return errors.New("not one sample description")
	}
	entries, err := childBoxes(d[4:])
	if err != nil || len(entries) != 1 || entries[0].typ != "avc1" || len(entries[0].body) < 78 {
		return errors.New("the sample description is not avc1")
	}
	ext, err := childBoxes(entries[0].body[78:])
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
	if btrt, err := only(ext, "btrt"); err == nil {
		if len(btrt.body) != 12 || binary.BigEndian.Uint32(btrt.body) != 0 {
			return errors.New("a btrt box with a buffer size")
		}
		s.btrt = bytes.Index(stsd.raw, btrt.raw) + 8 // btrt's bytes lie within stsd's
	}
	return nil
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

// bitRates returns what the mp4 muxer writes in the joined file's btrt box (buffer size, maximum and
// average bit rate): the average over the whole (sample bytes × 8 per second, rounded down), and as maximum
// the larger of it and the stream's bit rate as FFmpeg's mov demuxer reports it for the first segment (its
// bytes over its duration, also rounded down), which the stream copy carries over.
func (p *joinPlan) bitRates() (buffer, max, avg uint32) {
	first := p.segs[0]
	var total, firstSize uint64
	for _, size := range p.sizes {
		total += uint64(size)
	}
	for _, size := range first.sizes {
		firstSize += uint64(size)
	}
	ticks := uint64(p.total) * uint64(first.delta)
	avg = uint32(total * 8 * uint64(first.timescale) / ticks)
	firstTicks := uint64(len(first.sizes)) * uint64(first.delta)
	rate := firstSize * 8 * uint64(first.timescale) / firstTicks
	return 0, uint32(max64(rate, uint64(avg))), avg
}

// max64 returns the larger of a and b.
func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// parseTimes reads stts (every sample must last the same) and ctts.
func (s *segmentFile) parseTimes(boxes []mp4Box, n int) error {
	stts, err := only(boxes, "stts")
	if err != nil {
		return err
	}
	t, err := fullBox(stts, 0, 4)
	if err != nil {
		return err
	}
	entries := int(binary.BigEndian.Uint32(t))
	if len(t) < 4+8*entries {
		return errors.New("short stts")
	}
	count := 0
	for i := 0; i < entries; i++ {
		c, d := binary.BigEndian.Uint32(t[4+8*i:]), binary.BigEndian.Uint32(t[8+8*i:])
		if c == 0 {
			continue
		}
		if s.delta == 0 {
			s.delta = d
		}
		if d != s.delta || d == 0 {
			return errors.New("the frames do not all last the same")
		}
		count += int(c)
	}
	if count != n {
		return fmt.Errorf("stts counts %d samples, stsz %d", count, n)
	}
	s.cts = make([]int64, n)
	var ctts mp4Box
	for _, b := range boxes {
		if b.typ == "ctts" {
			ctts = b
		}
	}
	if ctts.typ == "" {
		return nil
	}
	if len(ctts.body) < 8 || ctts.body[0] > 1 {
		return errors.New("bad ctts")
	}
	signed := ctts.body[0] == 1
	c := ctts.body[4:]
	entries = int(binary.BigEndian.Uint32(c))
	if len(c) < 4+8*entries {
		return errors.New("short ctts")
	}
	k := 0
	for i := 0; i < entries; i++ {
		cnt, raw := int(binary.BigEndian.Uint32(c[4+8*i:])), binary.BigEndian.Uint32(c[8+8*i:])
		off := int64(raw)
		if signed {
			off = int64(int32(raw))
		}
		if off < 0 {
			return errors.New("negative composition offsets")
		}
		if cnt > n-k {
			return errors.New("ctts counts more samples than stsz")
		}
		for j := 0; j < cnt; j++ {
			s.cts[k] = off
			k++
		}
	}
	if k != n {
		return fmt.Errorf("ctts counts %d samples, stsz %d", k, n)
	}
	return nil
}

// parseSync reads stss; without it every sample is a sync sample.
func (s *segmentFile) parseSync(boxes []mp4Box, n int) error {
	var stss mp4Box
	for _, b := range boxes {
		if b.typ == "stss" {
			stss = b
		}
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

// parseChunks reads stsc and stco/co64 into one file offset per sample.
func (s *segmentFile) parseChunks(boxes []mp4Box, n int) error {
	var chunks []int64
	for _, b := range boxes {
		if b.typ != "stco" && b.typ != "co64" {
			continue
		}
		if chunks != nil {
			return errors.New("two chunk offset boxes")
		}
		t, err := fullBox(b, 0, 4)
		if err != nil {
			return err
		}
		entries, width := int(binary.BigEndian.Uint32(t)), 4
		if b.typ == "co64" {
			width = 8
		}
		if entries > n || len(t) < 4+width*entries {
			return errors.New("short chunk offset box")
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
		return errors.New("no chunk offsets")
	}
	stsc, err := only(boxes, "stsc")
	if err != nil {
		return err
	}
	t, err := fullBox(stsc, 0, 4)
	if err != nil {
		return err
	}
	entries := int(binary.BigEndian.Uint32(t))
	if entries == 0 || len(t) < 4+12*entries {
		return errors.New("short stsc")
	}
	s.offsets = make([]int64, 0, n)
	for i := 0; i < entries; i++ {
		firstChunk, perChunk := int(binary.BigEndian.Uint32(t[4+12*i:])), int(binary.BigEndian.Uint32(t[8+12*i:]))
		if desc := binary.BigEndian.Uint32(t[12+12*i:]); desc != 1 {
			return errors.New("samples of several descriptions")
		}
		lastChunk := len(chunks)
		if i+1 < entries {
			lastChunk = int(binary.BigEndian.Uint32(t[16+12*i:])) - 1
		}
		if firstChunk < 1 || lastChunk > len(chunks) || lastChunk < firstChunk-1 || perChunk > n {
			return errors.New("bad stsc")
		}
		for c := firstChunk; c <= lastChunk; c++ {
			off := chunks[c-1]
			for j := 0; j < perChunk; j++ {
				if len(s.offsets) == n {
					return errors.New("stsc places more samples than stsz has")
				}
				s.offsets = append(s.offsets, off)
				off += int64(s.sizes[len(s.offsets)-1])
			}
		}
	}
	if len(s.offsets) != n {
		return fmt.Errorf("stsc places %d samples, stsz has %d", len(s.offsets), n)
	}
	return nil
}

// parameterSets returns the SPS and PPS of an avcC record as 4-byte-length NAL units, SPS first: what
// h264_mp4toannexb puts in front of an IDR picture, as the mp4 muxer stores it.
func parameterSets(avcC []byte) ([]byte, error) {
	var out []byte
	b := avcC[5:]
	for _, kind := range []string{"SPS", "PPS"} {
		if len(b) < 1 {
			return nil, errors.New("short avcC")
		}
		count := int(b[0])
		if kind == "SPS" {
			count &= 0x1f
		}
		b = b[1:]
		if count == 0 {
			return nil, fmt.Errorf("avcC has no %s", kind)
		}
		for i := 0; i < count; i++ {
			if len(b) < 2 {
				return nil, errors.New("short avcC")
			}
			n := int(binary.BigEndian.Uint16(b))
			if n == 0 || len(b) < 2+n {
				return nil, errors.New("short avcC")
			}
			out = binary.BigEndian.AppendUint32(out, uint32(n))
			out = append(out, b[2:2+n]...)
			b = b[2+n:]
		}
	}
	return out, nil
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
	buf := make([]byte, maxNALsPerRead)
	newIDR := true
	for i, size := range s.sizes {
		out[i] = -1
		base, end := s.offsets[i], int64(size)
		var have []byte // bytes read at base+haveAt
		haveAt := int64(0)
		for pos := int64(0); pos < end; {
			if end-pos < 5 {
				return nil, fmt.Errorf("sample %d: truncated NAL unit", i+1)
			}
			if pos < haveAt || pos+6 > haveAt+int64(len(have)) {
				n := min(int64(len(buf)), end-pos)
				if _, err := f.ReadAt(buf[:n], base+pos); err != nil {
					return nil, fmt.Errorf("sample %d: %w", i+1, err)
				}
				have, haveAt = buf[:n], pos
			}
			h := have[pos-haveAt:]
			n := int64(binary.BigEndian.Uint32(h))
			if n == 0 || pos+4+n > end {
				return nil, fmt.Errorf("sample %d: NAL lengths do not add up to its size", i+1)
			}
			switch typ := h[4] & 0x1f; typ {
			case 7, 8:
				return nil, fmt.Errorf("sample %d carries a parameter set", i+1)
			case 5:
				if n < 2 {
					return nil, fmt.Errorf("sample %d: empty IDR slice", i+1)
				}
				if h[5]&0x80 != 0 {
					newIDR = true
				}
				if newIDR {
					if out[i] >= 0 {
						return nil, fmt.Errorf("sample %d holds two IDR pictures", i+1)
					}
					out[i], newIDR = pos, false
				}
			case 1:
				newIDR = true
			}
			pos += 4 + n
		}
	}
	return out, nil
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
func (p *joinPlan) moov(dataStart int64, co64 bool) []byte {
	first := p.segs[0]
	ticks := uint64(p.total) * uint64(first.delta)
	movieDur := uint32(ceilDiv(ticks*uint64(first.mvhdScale), uint64(first.timescale)))
	var w boxWriter
	moov := w.open("moov")
	w.raw(patched(first.mvhd, 12, movieDur)) // creation, modification, timescale, duration
	trak := w.open("trak")
	w.raw(patched(first.tkhd, 16, movieDur)) // creation, modification, track id, reserved, duration
	edts := w.open("edts")
	elst := w.full("elst", 0, 0)
	w.u32(1)
	w.u32(movieDur)
	w.u32(uint32(first.mediaTime))
	w.u32(0x10000)
	w.close(elst)
	w.close(edts)
	mdia := w.open("mdia")
	w.raw(patched(first.mdhd, 12, uint32(ticks)))
	for _, b := range first.mdiaRest {
		w.raw(b)
	}
	minf := w.open("minf")
	for _, b := range first.minfRest {
		w.raw(b)
	}
	stbl := w.open("stbl")
	stsd := first.stsdWithoutBitRates()
	if first.btrt >= 0 {
		buffer, maxRate, avg := p.bitRates()
		binary.BigEndian.PutUint32(stsd[first.btrt:], buffer)
		binary.BigEndian.PutUint32(stsd[first.btrt+4:], maxRate)
		binary.BigEndian.PutUint32(stsd[first.btrt+8:], avg)
	}
	w.raw(stsd)
	p.sampleTables(&w, dataStart, co64)
	w.close(stbl)
	w.close(minf)
	w.close(mdia)
	w.close(trak)
	if first.udta != nil {
		w.raw(first.udta)
	}
	w.close(moov)
	return w.b
}

// sampleTables writes stts, stss, ctts, stsc, stsz and stco/co64 for the whole, in the mp4 muxer's order.
func (p *joinPlan) sampleTables(w *boxWriter, dataStart int64, co64 bool) {
	first := p.segs[0]
	stts := w.full("stts", 0, 0)
	w.u32(1)
	w.u32(uint32(p.total))
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
	if len(sync) < p.total {
		stss := w.full("stss", 0, 0)
		w.u32(uint32(len(sync)))
		for _, k := range sync {
			w.u32(k)
		}
		w.close(stss)
	}
	if anyCTS {
		ctts := w.full("ctts", 0, 0)
		at := len(w.b)
		w.u32(0)
		entries := uint32(0)
		for i := 0; i < len(cts); {
			j := i + 1
			for j < len(cts) && cts[j] == cts[i] {
				j++
			}
			w.u32(uint32(j - i))
			w.u32(uint32(cts[i]))
			entries++
			i = j
		}
		binary.BigEndian.PutUint32(w.b[at:], entries)
		w.close(ctts)
	}

	// Chunks as the mp4 muxer cuts them: consecutive samples while the chunk stays under 1 MiB.
	var chunkOffsets []int64
	var perChunk []uint32
	var chunkSize uint64
	off := dataStart
	for i, size := range p.sizes {
		if i == 0 || chunkSize+uint64(size) >= mp4MaxChunk {
			chunkOffsets = append(chunkOffsets, off)
			perChunk = append(perChunk, 0)
			chunkSize = 0
		}
		chunkSize += uint64(size)
		perChunk[len(perChunk)-1]++
		off += int64(size)
	}
	stsc := w.full("stsc", 0, 0)
	at := len(w.b)
	w.u32(0)
	entries := uint32(0)
	for i, n := range perChunk {
		if i > 0 && n == perChunk[i-1] {
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
	w.u32(uint32(len(p.sizes)))
	for _, size := range p.sizes {
		w.u32(size)
	}
	w.close(stsz)

	typ := "stco"
	if co64 {
		typ = "co64"
	}
	co := w.full(typ, 0, 0)
	w.u32(uint32(len(chunkOffsets)))
	for _, o := range chunkOffsets {
		if co64 {
			w.u64(uint64(o))
		} else {
			w.u32(uint32(o))
		}
	}
	w.close(co)
}

// write writes the joined file to out: ftyp, moov, then mdat with every segment's samples, each IDR picture
// preceded by the parameter sets. The sample bytes are copied file to file (copy_file_range on Linux).
func (p *joinPlan) write(ctx context.Context, out string) (err error) {
	var data uint64
	for _, size := range p.sizes {
		data += uint64(size)
	}
	ftyp := p.segs[0].ftyp
	// An empty free box in front of mdat, as the mp4 muxer writes (room to grow mdat's header to 64 bits).
	mdatHeader := 8 + 8
	if data+8 > 0xffffffff {
		mdatHeader = 8 + 16
	}
	head := int64(len(ftyp)) + int64(len(p.moov(0, false))) + int64(mdatHeader)
	co64 := uint64(head)+data > 0xffffffff
	moov := p.moov(head, co64)
	if co64 {
		head = int64(len(ftyp)) + int64(len(moov)) + int64(mdatHeader)
		moov = p.moov(head, true)
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
		w.u64(data + 16)
	} else {
		w.u32(uint32(data + 8))
		w.raw([]byte("mdat"))
	}
	if _, err := f.Write(w.b); err != nil {
		return err
	}
	for i, s := range p.segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := p.copySamples(f, s, p.inserts[i]); err != nil {
			return fmt.Errorf("copy %s: %w", s.path, err)
		}
	}
	return nil
}

// copySamples appends s's samples to f: runs of contiguous bytes are copied in one io.Copy, and the
// parameter sets are written where inserts says.
func (p *joinPlan) copySamples(f *os.File, s *segmentFile, inserts []int64) error {
	src, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer src.Close()
	runStart, runEnd := int64(-1), int64(-1)
	flush := func() error {
		if runEnd <= runStart {
			return nil
		}
		if _, err := src.Seek(runStart, io.SeekStart); err != nil {
			return err
		}
		n, err := io.Copy(f, io.LimitReader(src, runEnd-runStart))
		if err == nil && n != runEnd-runStart {
			err = io.ErrUnexpectedEOF
		}
		runStart, runEnd = -1, -1
		return err
	}
	add := func(from, to int64) error {
		if from != runEnd {
			if err := flush(); err != nil {
				return err
			}
			runStart = from
		}
		runEnd = to
		return nil
	}
	for i, size := range s.sizes {
		start, end := s.offsets[i], s.offsets[i]+int64(size)
		if at := inserts[i]; at >= 0 {
			if err := add(start, start+at); err != nil {
				return err
			}
			if err := flush(); err != nil {
				return err
			}
			if _, err := f.Write(p.ps); err != nil {
				return err
			}
			start += at
		}
		if err := add(start, end); err != nil {
			return err
		}
	}
	return flush()
}
