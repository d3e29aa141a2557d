// Derived from Go's encoding/csv reader: Copyright 2011 The Go Authors.
// All rights reserved. Use of this source code is governed by a BSD-style
// license that can be found in Go's LICENSE file.

package sources

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"unicode/utf8"
	"unsafe"
)

// csvReader reads RFC 4180 records as encoding/csv does (the same fields,
// line numbers, offsets and errors for every file that reader accepts),
// with one difference: a quote inside a cell that is not quoted is a
// character of the cell, as Python's csv module, DuckDB and spreadsheet
// programs read it (37°36'37.8"N, 5'11"). encoding/csv can only allow that
// with LazyQuotes, which also lets a quoted cell left open swallow the rest
// of the file without an error; here a quoted cell keeps the strict rules.
type csvReader struct {
	r     *bufio.Reader
	comma rune

	numLine int   // physical lines read
	offset  int64 // input bytes consumed

	rawBuffer    []byte
	recordBuffer []byte
	fieldIndexes []int
	fieldPos     []csvPosition
	record       []string
}

type csvPosition struct{ line, col int }

func newCSVReader(r *bufio.Reader, comma rune) *csvReader {
	return &csvReader{r: r, comma: comma}
}

// InputOffset is the offset just after the last record read.
func (r *csvReader) InputOffset() int64 { return r.offset }

// FieldPos is the line and column where field i of the last record starts.
func (r *csvReader) FieldPos(i int) (line, column int) {
	p := r.fieldPos[i]
	return p.line, p.col
}

// readLine reads one physical line, \r\n normalised to \n and a trailing
// \r before EOF dropped.
func (r *csvReader) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.rawBuffer = append(r.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.rawBuffer = append(r.rawBuffer, line...)
		}
		line = r.rawBuffer
	}
	n := len(line)
	if n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	r.numLine++
	r.offset += int64(n)
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 if line ends in \n, else 0.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// Read reads the next record, skipping empty lines; the slice returned is
// reused by the next call, the strings are the caller's. Errors are
// *csv.ParseError with csv.ErrQuote, or the underlying reader's error;
// io.EOF at the end.
func (r *csvReader) Read() ([]string, error) { return r.read(true) }

// View reads the next record as Read does, but its strings are views of
// the reader's own buffer, valid only until the next call: a batch copies
// every cell into its columns at once, and a string per record made
// a collector's worth of garbage per row.
func (r *csvReader) View() ([]string, error) { return r.read(false) }

func (r *csvReader) read(own bool) ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			continue // an empty line
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	r.recordBuffer = r.recordBuffer[:0]
	r.fieldIndexes = r.fieldIndexes[:0]
	r.fieldPos = r.fieldPos[:0]
	err := r.parse(line, errRead)
	var str string
	if own {
		str = string(r.recordBuffer)
	} else if len(r.recordBuffer) > 0 {
		str = unsafe.String(&r.recordBuffer[0], len(r.recordBuffer))
	}
	rec := r.record[:0]
	prev := 0
	for _, idx := range r.fieldIndexes {
		rec = append(rec, str[prev:idx])
		prev = idx
	}
	r.record = rec
	return rec, err
}

// plain reports whether the last record's cells are all valid UTF-8 and
// free of NUL bytes, checked once over the record's text: only when they
// are not must each cell be looked at, to say which.
func (r *csvReader) plain() bool {
	return bytes.IndexByte(r.recordBuffer, 0) < 0 && utf8.Valid(r.recordBuffer)
}

// parse splits a record that starts on line into fields.
func (r *csvReader) parse(line []byte, errRead error) error {
	commaLen := utf8.RuneLen(r.comma)
	recLine := r.numLine
	pos := csvPosition{line: r.numLine, col: 1}
	for {
		if len(line) > 0 && line[0] == '"' {
			var more bool
			var err error
			if line, more, err = r.quoted(line, &pos, recLine, &errRead); err != nil || !more {
				if err == nil {
					err = errRead
				}
				return err
			}
			continue
		}
		// A cell that is not quoted ends at the delimiter or the line's
		// end; a quote in it is part of it.
		i := bytes.IndexRune(line, r.comma)
		field := line
		if i >= 0 {
			field = field[:i]
		} else {
			field = field[:len(field)-lengthNL(field)]
		}
		r.recordBuffer = append(r.recordBuffer, field...)
		r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
		r.fieldPos = append(r.fieldPos, pos)
		if i < 0 {
			return errRead
		}
		line = line[i+commaLen:]
		pos.col += i + commaLen
	}
}

// quoted reads a quoted cell starting at line[0]: "" is a quote; it ends
// at a quote followed by the delimiter (more cells follow: more) or the
// line's end, and may hold line breaks (reading further lines).
func (r *csvReader) quoted(line []byte, pos *csvPosition, recLine int, errRead *error) (rest []byte, more bool, err error) {
	fieldPos := *pos
	line = line[1:]
	pos.col++
	for {
		i := bytes.IndexByte(line, '"')
		switch {
		case i >= 0:
			r.recordBuffer = append(r.recordBuffer, line[:i]...)
			line = line[i+1:]
			pos.col += i + 1
			switch rn, _ := utf8.DecodeRune(line); {
			case len(line) > 0 && rn == '"':
				r.recordBuffer = append(r.recordBuffer, '"')
				line = line[1:]
				pos.col++
			case len(line) > 0 && rn == r.comma:
				n := utf8.RuneLen(r.comma)
				pos.col += n
				r.endField(fieldPos)
				return line[n:], true, nil
			case lengthNL(line) == len(line):
				r.endField(fieldPos)
				return nil, false, nil
			default:
				return nil, false, &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: pos.col - 1, Err: csv.ErrQuote}
			}
		case len(line) > 0:
			// The cell goes on past the line's end.
			r.recordBuffer = append(r.recordBuffer, line...)
			if *errRead != nil {
				return nil, false, nil
			}
			pos.col += len(line)
			line, *errRead = r.readLine()
			if len(line) > 0 {
				pos.line++
				pos.col = 1
			}
			if *errRead == io.EOF {
				*errRead = nil
			}
		default:
			// The file ends inside the quoted cell.
			if *errRead == nil {
				return nil, false, &csv.ParseError{StartLine: recLine, Line: pos.line, Column: pos.col, Err: csv.ErrQuote}
			}
			r.endField(fieldPos)
			return nil, false, nil
		}
	}
}

func (r *csvReader) endField(p csvPosition) {
	r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
	r.fieldPos = append(r.fieldPos, p)
}
