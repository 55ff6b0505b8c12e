package xlsxscan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// cellTagShapes are cell start tags: the shapes cellTag reads (fast) and the ones it must leave
// to the general path, each of which the general path reads its own way (or refuses).
var cellTagShapes = []struct {
	tag  string
	fast bool
}{
	{`<c r="A1" s="3" t="s">`, true},
	{`<c r="B2">`, true},
	{`<c r="C3" t="inlineStr">`, true},
	{`<c r="D4" s="12">`, true},
	{`<c r="XFD1048576" s="0" t="n">`, true},
	{`<c r="AA10" s="007" t="str">`, true},
	{`<c r="E5"/>`, true},
	{`<c r="F6" s="1" t="e"/>`, true},
	{`<c r="G7" s="123456789" t="b">`, true},
	{`<c r="A01" t="d">`, true},
	// Another order, another attribute, a prefix or a duplicate.
	{`<c t="s" r="A1" s="3">`, false},
	{`<c s="3" r="A1" t="s">`, false},
	{`<c r="A1" t="s" s="3">`, false},
	{`<c r="A1" s="3" t="s" cm="1">`, false},
	{`<c r="A1" s="3" t="s" vm="1">`, false},
	{`<c r="A1" ph="1">`, false},
	{`<c r="A1" s="1" s="2">`, false},
	{`<c r="A1" t="s" t="n">`, false},
	{`<c r="A1" x:s="3">`, false},
	{`<x:c r="A1" t="s">`, false},
	{`<c x:r="B1">`, false},
	// Other quoting and spacing.
	{`<c r='A1' s='3' t='s'>`, false},
	{`<c r="A1" s='3'>`, false},
	{`<c  r="A1">`, false},
	{`<c r = "A1">`, false},
	{"<c\n r=\"A1\"\ts=\"2\">", false},
	{"<c\tr=\"A1\">", false},
	{`<c r="A1" >`, false},
	{`<c r="A1" s="3" t="s" />`, false},
	{`<c r="A1" / >`, false},
	{`<c r="A1"s="3">`, false},
	{`<c r="A1" s="3"t="s">`, false},
	// No r= or one the fast path does not read.
	{`<c>`, false},
	{`<c/>`, false},
	{`<c s="1">`, false},
	{`<c t="s" s="2"/>`, false},
	{`<c r="">`, false},
	{`<c r="a1">`, false},
	{`<c r="$A$1">`, false},
	{`<c r="A&#66;1">`, false},
	{`<c r="Ａ1">`, false},
	{`<c r="A1 ">`, false},
	{`<c r="A0">`, false},
	{`<c r="XFE1">`, false},
	{`<c r="AAAA1">`, false},
	{`<c r="A1048577">`, false},
	{`<c r="A12345678">`, false},
	{`<c r="1">`, false},
	{`<c r="A">`, false},
	// Values of s= and t= the fast path does not read.
	{`<c r="A1" s="-1">`, false},
	{`<c r="A1" s="">`, false},
	{`<c r="A1" s="x">`, false},
	{`<c r="A1" s="1234567890">`, false},
	{`<c r="A1" t="">`, false},
	{`<c r="A1" t="inlineStrX">`, false},
	{`<c r="A1" t="inline">`, false},
	{`<c r="A1" t="st">`, false},
	{`<c r="A1" t="x">`, false},
	{`<c r="A1" t="S">`, false},
	{`<c r="A1" t="s1">`, false},
	{`<c r="A1" t="&#115;">`, false},
	{`<c r="A1" s="&#51;" t="&#115;">`, false},
	{`<c r="A1" t="&bad;">`, false},
	// Not a cell, or not a whole tag.
	{`<cell r="A1">`, false},
	{`<col r="A1">`, false},
	{`<c r="A1"`, false},
	{`<c r="A1" s="3" t="s"`, false},
	{`<c r="A1" s="3" t="s"/`, false},
}

// readCellTag reads one start tag, with the fast path or with next and parseCellAttrs, and
// describes the scanner's state and the result, or the error.
func readCellTag(t *testing.T, tag string, fast bool) (desc string, took bool) {
	t.Helper()
	const prev = 4 // the column of the cell before
	// What follows the tag in a sheet: the fast path needs maxCellTag bytes in the buffer.
	s := newScanner(bytes.NewReader([]byte(tag+"</c>"+strings.Repeat(`<c r="Z1"/>`, 8))), 4096)
	var a cellAttrs
	if fast {
		s.more()
		if a, took = s.cellTag(); !took {
			if s.pos != 0 || s.err != nil {
				t.Fatalf("%s: refused by the fast path at offset %d, error %v", tag, s.pos, s.err)
			}
			return "", false
		}
	} else {
		if k := s.next(false); k != tokStart || string(s.name) != "c" {
			return fmt.Sprintf("token %d name %q error %v", k, s.name, s.err), true
		}
		var err error
		if a, err = parseCellAttrs(s.attrs, prev+1); err != nil {
			return "error " + err.Error(), true
		}
	}
	return fmt.Sprintf("kind %d name %q attrs %q selfClose %v next at %d: col %d style %d type %q (%d)",
		s.kind, s.name, s.attrs, s.selfClose, s.pos, a.col, a.style, a.typ, cellType(a.typ)), true
}

// TestCellTagSameAsGeneralPath: every tag the fast path reads it reads as the general path does,
// and it reads the shapes writers use.
func TestCellTagSameAsGeneralPath(t *testing.T) {
	for _, c := range cellTagShapes {
		got, took := readCellTag(t, c.tag, true)
		if took != c.fast {
			t.Errorf("%s: fast path taken %v, want %v", c.tag, took, c.fast)
		}
		want, _ := readCellTag(t, c.tag, false)
		if took && got != want {
			t.Errorf("%s:\n fast    %s\n general %s", c.tag, got, want)
		}
	}
}

// TestCellTagAtBufferEnd: a tag cut by the end of the buffer, or too near it, is left to the
// general path, which reads more input, wherever the cut falls; the longest tag the fast path
// reads fits.
func TestCellTagAtBufferEnd(t *testing.T) {
	for _, tag := range []string{`<c r="XFD1048576" s="123456789" t="inlineStr"/>`, `<c r="A1" t="s">`} {
		in := tag + `<v>0</v></c></row></sheetData></worksheet>`
		for n := 0; n <= len(in); n++ {
			s := newScanner(bytes.NewReader([]byte(in)), 4096)
			s.more()
			s.end = n
			_, ok := s.cellTag()
			if want := n >= maxCellTag; ok != want {
				t.Errorf("%s: %d bytes in the buffer: fast path taken %v, want %v", tag, n, ok, want)
			}
		}
	}
}

// SetFastCellTags turns the cell tag fast path on or off, for a test of the external package.
func SetFastCellTags(on bool) { fastCellTags = on }

// CellTagShapes are the tags of cellTagShapes, for the fuzz seeds.
func CellTagShapes() []string {
	var out []string
	for _, c := range cellTagShapes {
		out = append(out, c.tag)
	}
	return out
}
