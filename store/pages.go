package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// This file checks the structure of a bbolt file by reading it with
// ReadAt, never through a memory map, so that no damage in it can fault
// the process. bbolt itself trusts every page number and offset it finds
// in its file; these checks establish that they can be trusted before
// bbolt (or bbolt's own tx.Check, which runs in a goroutine of its own
// where a fault cannot be recovered) follows them.
//
// The layout, from bbolt v1.5.0's internal/common package: a file is a
// sequence of pages of the page size, page 0 and page 1 hold the two meta
// records, every page starts with a 16-byte header
//
//	id uint64 · flags uint16 · count uint16 · overflow uint32
//
// and a page with overflow n spans n+1 pages. Branch pages hold count
// 16-byte elements (pos uint32, ksize uint32, pgid uint64), leaf pages
// count 16-byte elements (flags uint32, pos uint32, ksize uint32, vsize
// uint32); pos is relative to the element itself. A leaf element with flag
// 1 is a bucket whose value starts with its root page id and sequence
// (16 bytes); a root of 0 means the bucket's leaf page follows inline in
// the value. The freelist page holds count page ids (or, when count is
// 0xFFFF, the count in the first uint64). Integers are in the machine's
// byte order.

const (
	pageHeaderSize  = 16
	elementSize     = 16
	metaOffset      = pageHeaderSize
	metaSize        = 64
	metaSumLen      = 56 // bytes of the meta record covered by its checksum
	metaMagic       = 0xED0CDAED
	metaVersion     = 2
	noFreelist      = ^uint64(0)
	flagBranch      = 0x01
	flagLeaf        = 0x02
	flagFreelist    = 0x10
	bucketEntryFlag = 0x01
	bucketHeaderLen = 16
	maxPageSize     = 1 << 24 // bbolt looks no further for the second meta page
	// maxSpan bounds the bytes one page with its overflow may span. A
	// ledger's values are a few KiB and its freelist a few MiB; a larger
	// claim is a scribbled header, and reading it would take the memory.
	maxSpan = 256 << 20
)

var ne = binary.NativeEndian

// meta is the part of a bbolt meta record the checks use.
type meta struct {
	pageSize uint32
	root     uint64 // page of the root bucket
	freelist uint64 // page of the freelist, or noFreelist
	pgid     uint64 // high water mark: pages [0, pgid) are the data
	txid     uint64
}

// parseMeta decodes and verifies the meta record of a meta page.
func parseMeta(page []byte) (meta, bool) {
	if len(page) < metaOffset+metaSize {
		return meta{}, false
	}
	m := page[metaOffset : metaOffset+metaSize]
	h := fnv.New64a()
	h.Write(m[:metaSumLen])
	if ne.Uint32(m[0:]) != metaMagic || ne.Uint32(m[4:]) != metaVersion || ne.Uint64(m[56:]) != h.Sum64() {
		return meta{}, false
	}
	return meta{
		pageSize: ne.Uint32(m[8:]),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		pgid:     ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, true
}

// fileHead is what the meta pages say about a ledger file.
type fileHead struct {
	size  int64
	meta  meta           // the meta bbolt uses: the valid one with the higher txid
	notes []CheckProblem // a meta page that does not verify
}

// readHead reads the two meta pages of the file f of size bytes, picks
// the one bbolt will use and checks that the file holds every page that
// meta claims. Any problem that keeps bbolt from reading the file safely
// is a *DamageError.
func readHead(path string, f io.ReaderAt, size int64) (fileHead, error) {
	head := fileHead{size: size}
	m0, ok0 := readMetaAt(f, 0)
	var m1 meta
	ok1 := false
	switch {
	case ok0:
		m1, ok1 = readMetaAt(f, int64(m0.pageSize))
	default:
		// Without meta 0 the page size is unknown; bbolt tries the
		// possible ones for meta 1, from 1 KiB up.
		for ps := int64(1024); ps <= maxPageSize && ps < size-1024; ps *= 2 {
			if m1, ok1 = readMetaAt(f, ps); ok1 && int64(m1.pageSize) == ps {
				break
			}
			ok1 = false
		}
	}
	switch {
	case !ok0 && !ok1:
		return head, damagedHead(path, headFault(f))
	case ok0 && (!ok1 || m0.txid > m1.txid):
		head.meta = m0
	default:
		head.meta = m1
	}
	if !ok0 || !ok1 {
		bad, good := 0, 1
		if !ok1 {
			bad, good = 1, 0
		}
		head.notes = append(head.notes, CheckProblem{Kind: CheckHeaderNote, Page: uint64(bad), OtherPage: uint64(good), Txid: head.meta.txid})
	}
	return head, head.checkBounds(path)
}

// FormatVersion is the file format version of bbolt's that the ledger is
// written in, and the only one it reads.
const FormatVersion = metaVersion

// headFault is why neither header page of f is valid, as the first one
// says when it is in bbolt's format (its magic number): another file
// format version, or a checksum that does not match (the second page, a
// copy of the first, was written by the same program); else the file is
// no ledger at all, or its start was overwritten (a "version" beyond any
// bbolt's is bytes written over it).
func headFault(f io.ReaderAt) CheckProblem {
	buf := make([]byte, metaOffset+metaSize)
	if _, err := f.ReadAt(buf, 0); err != nil || ne.Uint32(buf[metaOffset:]) != metaMagic {
		return CheckProblem{Kind: CheckHeadNone}
	}
	switch v := ne.Uint32(buf[metaOffset+4:]); {
	case v == metaVersion:
	case v < 256: // a version bbolt could have written, not bytes scribbled over it
		return CheckProblem{Kind: CheckHeadVersion, Count: int(v)}
	default:
		return CheckProblem{Kind: CheckHeadNone}
	}
	return CheckProblem{Kind: CheckHeadChecksum}
}

func readMetaAt(f io.ReaderAt, off int64) (meta, bool) {
	buf := make([]byte, metaOffset+metaSize)
	if _, err := f.ReadAt(buf, off); err != nil {
		return meta{}, false
	}
	return parseMeta(buf)
}

// checkBounds checks that the meta's page size is one bbolt can use and
// that the file holds every page the meta claims.
func (h fileHead) checkBounds(path string) error {
	m := h.meta
	ps := int64(m.pageSize)
	switch {
	case ps < 512 || ps > maxPageSize || ps&(ps-1) != 0:
		return damagedHead(path, CheckProblem{Kind: CheckHeadPageSize, Bytes: ps})
	case m.pgid < 2 || m.pgid > uint64(1<<62/ps):
		return damagedHead(path, CheckProblem{Kind: CheckHeadPages, Page: m.pgid})
	case int64(m.pgid)*ps > h.size:
		return damagedHead(path, CheckProblem{Kind: CheckHeadCutShort, Bytes: h.size, OtherBytes: int64(m.pgid) * ps})
	case m.root < 2 || m.root >= m.pgid:
		return damagedHead(path, CheckProblem{Kind: CheckHeadRoot, Page: m.root, OtherPage: m.pgid - 1})
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid):
		return damagedHead(path, CheckProblem{Kind: CheckHeadFreelist, Page: m.freelist, OtherPage: m.pgid - 1})
	}
	return nil
}

// inspectFile reads the head of the ledger file at path: the cheap check
// that runs before every open, so that bbolt never maps a file shorter
// than its data. A missing file yields size -1 and no error; an empty one
// size 0.
func inspectFile(path string) (fileHead, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return fileHead{size: -1}, nil
	}
	if err != nil {
		return fileHead{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileHead{}, err
	}
	if fi.Size() == 0 {
		return fileHead{}, nil
	}
	return readHead(path, f, fi.Size())
}

// walkDepth says how much of the file walkFile reads.
type walkDepth int

const (
	// walkAll reads every page: the freelist, every branch and every leaf
	// of every bucket, and checks that each page below the high water mark
	// is used exactly once or free.
	walkAll walkDepth = iota
	// walkSkeleton reads the freelist, every branch page, and the leaf
	// pages of every bucket except the big ones (bigBuckets), whose leaves
	// are only checked to be pages of the file that are not free. It
	// reads a small part of a big ledger.
	walkSkeleton
)

// bigBuckets are the buckets that grow with every sale: most of a ledger's
// pages are their leaves.
var bigBuckets = [][]byte{bucketSales, bucketDays, bucketRefunds}

// pageWalk is the state of one walk over a ledger file.
type pageWalk struct {
	f        io.ReaderAt
	head     fileHead
	ps       int64
	depth    walkDepth
	used     []bool // page is part of the tree (or the freelist)
	free     []bool // page is on the freelist
	problems []CheckProblem
	omitted  int
	read     int // pages read, overflow pages included
	// nest is how many pages the walk is inside of; the page read at
	// each depth has its own buffer, which the pages under it leave alone.
	nest int
	bufs [][]byte
}

// buffer returns the buffer for the page read at the current depth,
// n bytes long; the bytes it held before are kept at its start.
func (w *pageWalk) buffer(n int) []byte {
	for len(w.bufs) <= w.nest {
		w.bufs = append(w.bufs, nil)
	}
	b := w.bufs[w.nest]
	if cap(b) < n {
		grown := make([]byte, n)
		copy(grown, b)
		b = grown
	}
	w.bufs[w.nest] = b[:n]
	return b[:n]
}

// walkFile checks the structure of the ledger file at path: the meta
// pages, the freelist, and the B+trees of every bucket, to the given
// depth. The head (meta) problems that make the file unreadable are a
// *DamageError; the problems found in the pages are returned as a list,
// empty when the file is sound. notes are not problems.
func walkFile(path string, depth walkDepth) (problems, notes []CheckProblem, err error) {
	w, err := runWalk(path, depth)
	if w == nil || err != nil {
		return nil, notesOf(w), err
	}
	problems = w.problems
	if w.omitted > 0 {
		problems = append(problems, CheckProblem{Kind: CheckPagesMore, Count: w.omitted})
	}
	return problems, w.head.notes, nil
}

// runWalk opens the file, reads its head and, when the head is sound,
// walks it. The walk is nil when the file could not be read at all.
func runWalk(path string, depth walkDepth) (*pageWalk, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head, err := readHead(path, f, fi.Size())
	w := &pageWalk{f: f, head: head, ps: int64(head.meta.pageSize), depth: depth}
	if err != nil {
		return w, err
	}
	w.used, w.free = make([]bool, head.meta.pgid), make([]bool, head.meta.pgid)
	w.run()
	return w, nil
}

func notesOf(w *pageWalk) []CheckProblem {
	if w == nil {
		return nil
	}
	return w.head.notes
}

// maxPageProblems caps the problems one walk lists: a scribbled branch
// page can make thousands.
const maxPageProblems = 20

func (w *pageWalk) problem(p CheckProblem) {
	if len(w.problems) < maxPageProblems {
		w.problems = append(w.problems, p)
	} else {
		w.omitted++
	}
}

func (w *pageWalk) run() {
	w.used[0], w.used[1] = true, true
	w.readFreelist()
	w.walkBucket(w.head.meta.root, nil, rootName, false)
	if w.depth != walkAll || len(w.problems) > 0 || w.head.meta.freelist == noFreelist {
		return // a page missed after a problem is no news; without a freelist, free pages are unknown
	}
	for id := uint64(2); id < w.head.meta.pgid; id++ {
		if !w.used[id] && !w.free[id] {
			w.problem(CheckProblem{Kind: CheckPageOrphan, Page: id})
		}
	}
}

// readPage reads page id with its overflow pages and checks its header.
// It returns nil after reporting a problem.
func (w *pageWalk) readPage(id uint64, what pageWhere) []byte {
	hwm := w.head.meta.pgid
	if id < 2 || id >= hwm {
		w.problem(what.at(CheckPageOutside, id, CheckProblem{Limit: int(hwm - 1)}))
		return nil
	}
	first := w.buffer(int(w.ps))
	if _, err := w.f.ReadAt(first, int64(id)*w.ps); err != nil {
		w.problem(what.at(CheckPageUnreadable, id, CheckProblem{Detail: err.Error()}))
		return nil
	}
	if got := ne.Uint64(first); got != id {
		w.problem(what.at(CheckPageWrongID, id, CheckProblem{OtherPage: got}))
		return nil
	}
	overflow := uint64(ne.Uint32(first[12:]))
	switch {
	case overflow >= hwm-id:
		w.problem(what.at(CheckPageOverflowEnd, id, CheckProblem{Count: int(overflow)}))
		return nil
	case (overflow+1)*uint64(w.ps) > maxSpan:
		w.problem(what.at(CheckPageOverflowHuge, id, CheckProblem{Count: int(overflow)}))
		return nil
	}
	w.read += int(overflow) + 1
	for i := id; i <= id+overflow; i++ {
		switch {
		case w.used[i]:
			w.problem(what.at(CheckPageTwice, i, CheckProblem{}))
			return nil
		case w.free[i]:
			w.problem(what.at(CheckPageUsedFree, i, CheckProblem{}))
			return nil
		}
		w.used[i] = true
	}
	if overflow == 0 {
		return first
	}
	page := w.buffer(int(int64(overflow+1) * w.ps))
	if _, err := w.f.ReadAt(page[w.ps:], int64(id+1)*w.ps); err != nil {
		w.problem(what.at(CheckPageUnreadable, id, CheckProblem{Detail: err.Error()}))
		return nil
	}
	return page
}

func (w *pageWalk) readFreelist() {
	id := w.head.meta.freelist
	if id == noFreelist {
		return
	}
	page := w.readPage(id, pageWhere{Freelist: true})
	if page == nil {
		return
	}
	if flags := ne.Uint16(page[8:]); flags != flagFreelist {
		w.problem(CheckProblem{Kind: CheckFreelistType, Page: id, Type: flags})
		return
	}
	start, count := uint64(pageHeaderSize), uint64(ne.Uint16(page[10:]))
	if count == 0xFFFF {
		count, start = ne.Uint64(page[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > (uint64(len(page))-start)/8 {
		w.problem(CheckProblem{Kind: CheckFreelistOverfull, Page: id, Count: int(count)})
		return
	}
	hwm := w.head.meta.pgid
	for i := range count {
		free := ne.Uint64(page[start+8*i:])
		switch {
		case free < 2 || free >= hwm:
			w.problem(CheckProblem{Kind: CheckFreelistOutside, Page: id, OtherPage: free, Limit: int(hwm - 1)})
		case w.free[free]:
			w.problem(CheckProblem{Kind: CheckFreelistTwice, Page: id, OtherPage: free})
		case w.used[free]:
			w.problem(CheckProblem{Kind: CheckFreelistSelf, Page: id, OtherPage: free})
		default:
			w.free[free] = true
		}
	}
}

// bucketWalk is what walkPage needs to know of the bucket it walks.
type bucketWalk struct {
	name      string // its path: `"sales"`, `"sales"/"x"`; "" for the root bucket
	what      pageWhere
	big       bool // one of bigBuckets
	leafLevel int  // the depth of its leaves, once known; -1 before
}

// walkBucket checks the tree of one bucket: from its root page, or from
// its inline page when root is 0.
func (w *pageWalk) walkBucket(root uint64, inline []byte, name string, big bool) {
	b := &bucketWalk{name: name, what: pageWhere{Bucket: name}, big: big, leafLevel: -1}
	if root == 0 {
		w.checkElements(inline, 0, b, flagLeaf, nil, nil, 0)
		return
	}
	w.walkPage(b, root, nil, nil, 0)
}

// walkPage checks page id of bucket b, whose keys must lie in [lo, hi)
// (nil: unbounded), and the pages under it.
func (w *pageWalk) walkPage(b *bucketWalk, id uint64, lo, hi []byte, level int) {
	if b.big && w.depth == walkSkeleton && level == b.leafLevel {
		if id < 2 || id >= w.head.meta.pgid {
			w.problem(b.what.at(CheckPageOutside, id, CheckProblem{Limit: int(w.head.meta.pgid - 1)}))
		} else if w.free[id] {
			w.problem(b.what.at(CheckPageUsedFree, id, CheckProblem{}))
		}
		return
	}
	w.nest++
	defer func() { w.nest-- }()
	page := w.readPage(id, b.what)
	if page == nil {
		return
	}
	flags := ne.Uint16(page[8:])
	if flags == flagLeaf && b.big {
		b.leafLevel = level
	}
	w.checkElements(page, id, b, flags, lo, hi, level)
}

// label is a problem of kind on page id of bucket b, with the facts of
// p; id is 0 for an inline page.
func label(kind CheckKind, id uint64, b *bucketWalk, p CheckProblem) CheckProblem {
	p = b.what.at(kind, id, p)
	p.Inline = id == 0
	return p
}

// checkElements checks the elements of a branch or leaf page of bucket b
// held in page: that they lie inside it and that their keys ascend within
// [lo, hi). It walks the children of a branch page, with their key
// ranges, and the buckets found in a leaf. id is 0 for an inline page.
func (w *pageWalk) checkElements(page []byte, id uint64, b *bucketWalk, flags uint16, lo, hi []byte, level int) {
	if len(page) < pageHeaderSize {
		w.problem(label(CheckElemShort, id, b, CheckProblem{}))
		return
	}
	if got := ne.Uint16(page[8:]); got != flags || (flags != flagBranch && flags != flagLeaf) || (id == 0 && flags != flagLeaf) {
		w.problem(label(CheckElemType, id, b, CheckProblem{Type: got}))
		return
	}
	count := int(ne.Uint16(page[10:]))
	if pageHeaderSize+count*elementSize > len(page) {
		w.problem(label(CheckElemCount, id, b, CheckProblem{Count: count}))
		return
	}
	if flags == flagBranch && count == 0 {
		w.problem(label(CheckElemEmptyBranch, id, b, CheckProblem{}))
		return
	}
	var prev []byte
	for i := range count {
		k, v, ok := entry(page, flags, i)
		if !ok {
			w.problem(label(CheckElemOutside, id, b, CheckProblem{Entry: i}))
			return
		}
		switch {
		case i == 0 && lo != nil && bytes.Compare(k, lo) < 0,
			i > 0 && bytes.Compare(k, prev) <= 0,
			hi != nil && bytes.Compare(k, hi) >= 0:
			w.problem(label(CheckElemOrder, id, b, CheckProblem{Entry: i}))
			return
		}
		prev = k
		if flags == flagLeaf && ne.Uint32(page[pageHeaderSize+i*elementSize:])&bucketEntryFlag != 0 {
			w.subBucket(id, b, i, k, v)
		}
	}
	if flags != flagBranch {
		return
	}
	for i := range count {
		k, _, _ := entry(page, flags, i)
		next := hi
		if i+1 < count {
			next, _, _ = entry(page, flags, i+1)
		}
		w.walkPage(b, ne.Uint64(page[pageHeaderSize+i*elementSize+8:]), k, next, level+1)
	}
}

// entry returns the key and value of element i of a branch or leaf page
// (a branch element has no value), and whether they lie inside the page.
func entry(page []byte, flags uint16, i int) (k, v []byte, ok bool) {
	at := pageHeaderSize + i*elementSize
	e := page[at : at+elementSize]
	if flags == flagBranch {
		return span(page, at, ne.Uint32(e[0:]), ne.Uint32(e[4:]), 0)
	}
	return span(page, at, ne.Uint32(e[4:]), ne.Uint32(e[8:]), ne.Uint32(e[12:]))
}

// subBucket walks the bucket stored in entry i, with key k and value v,
// of a leaf of bucket parent.
func (w *pageWalk) subBucket(id uint64, parent *bucketWalk, i int, k, v []byte) {
	if len(v) < bucketHeaderLen {
		w.problem(label(CheckElemBucketShort, id, parent, CheckProblem{Entry: i}))
		return
	}
	top := parent.name == rootName
	name := fmt.Sprintf("%q", k)
	if !top {
		name = parent.name + "/" + name
	}
	w.walkBucket(ne.Uint64(v), v[bucketHeaderLen:], name, top && isBig(k))
}

// rootName names the root bucket, whose entries are the ledger's buckets.
const rootName = ""

func isBig(name []byte) bool {
	for _, b := range bigBuckets {
		if bytes.Equal(b, name) {
			return true
		}
	}
	return false
}

// span returns the key and value of the element at offset at of page:
// the key starts pos bytes after the element and is ksize long, the value
// follows it and is vsize long. ok is false unless both lie inside page.
func span(page []byte, at int, pos, ksize, vsize uint32) (k, v []byte, ok bool) {
	start := uint64(at) + uint64(pos)
	mid := start + uint64(ksize)
	end := mid + uint64(vsize)
	if end > uint64(len(page)) {
		return nil, nil, false
	}
	return page[start:mid], page[mid:end], true
}

// pageWhere says what a page is part of: the freelist, or a bucket.
type pageWhere struct {
	Freelist bool
	Bucket   string // its path: `"sales"`, `"sales"/"x"`; "" for the root bucket
}

// at is a problem of kind on page id of what w says, with the facts of p.
func (w pageWhere) at(kind CheckKind, id uint64, p CheckProblem) CheckProblem {
	p.Kind, p.Page, p.Freelist, p.Bucket = kind, id, w.Freelist, w.Bucket
	return p
}
