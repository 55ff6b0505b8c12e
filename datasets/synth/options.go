// Package synth generates sample source files for every dataset of mingdeng, as a power-supply
// company would hand them over, with documented planted effects that the analysis must recover.
// It is pure Go on purpose: it imports neither the DuckDB driver nor datasets/warehouse, so its
// tests stay fast and the files it writes are the same input every reader of the project sees.
// docs/GENERATOR.md describes the model.
package synth

import (
	"fmt"
	"strings"
)

// Scale chooses the size of the organisation and the number of years.
type Scale string

const (
	ScaleTiny     Scale = "tiny"     // one line maintenance unit, one branch, 6 groups, ~8 teams, 2 years
	ScaleCompany  Scale = "company"  // ~20 units, 60 branches, 300 groups, 5 years
	ScaleProvince Scale = "province" // ~6,000 groups, 10 years, > 30 million fact rows
)

// Format is the file format written.
type Format string

const (
	FormatCSV   Format = "csv"
	FormatXLSX  Format = "xlsx"
	FormatJSON  Format = "ndjson"
	FormatMixed Format = "mixed" // CSV, XLSX and NDJSON blended file by file (large files stay CSV)
)

// Encoding is the text encoding of CSV files. XLSX and NDJSON are always UTF-8 by their specs.
type Encoding string

const (
	UTF8    Encoding = "utf8"
	GB18030 Encoding = "gb18030"
)

// Headers chooses the header language.
type Headers string

const (
	HeadersZh Headers = "zh"
	HeadersEn Headers = "en"
)

// Effects are the coefficients of the planted effects (docs/metrics.md names them). Units are
// those of the outcome metric per unit of the activity metric; rates are per half year.
type Effects struct {
	QualityDefectsFound float64 // defects per 100 km per unit of production_linked_share (0–1), next half
	CritiqueViolations  float64 // violations per 100 staff per critique item per meeting, next half
	ResolvedViolations  float64 // violations per 100 staff per problem resolved per meeting, next half
	MeetingCountNull    float64 // violations per 100 staff per group meeting held, next half (0: no effect)
	ModelPostViolations float64 // violations per 100 staff in a team while it holds a model post
	ResolvedCustomer    float64 // customer satisfaction points (0–100) per problem resolved per meeting, same year
}

// DefaultEffects are the coefficients used unless Options.Effects is set.
func DefaultEffects() Effects {
	return Effects{
		QualityDefectsFound: 1.5,
		CritiqueViolations:  -1.2,
		ResolvedViolations:  -1.5,
		MeetingCountNull:    0,
		ModelPostViolations: -3.0,
		ResolvedCustomer:    4.0,
	}
}

// Options controls a generation run. The zero value of each field means its default.
type Options struct {
	Scale    Scale    // default tiny
	Seed     uint64   // any value; the same options give byte-identical output
	Format   Format   // default csv
	Encoding Encoding // default utf8
	Headers  Headers  // default zh
	Messy    bool     // add the faults real files have, each counted in the manifest
	Out      string   // output folder (created); required
	Effects  *Effects // nil: DefaultEffects
	// Workers bounds the files written at once; 0 means GOMAXPROCS. Output does not depend on it.
	Workers int
}

func (o Options) withDefaults() (Options, error) {
	if o.Scale == "" {
		o.Scale = ScaleTiny
	}
	if o.Format == "" {
		o.Format = FormatCSV
	}
	if o.Encoding == "" {
		o.Encoding = UTF8
	}
	if o.Headers == "" {
		o.Headers = HeadersZh
	}
	if o.Effects == nil {
		e := DefaultEffects()
		o.Effects = &e
	}
	var err error
	if o.Scale, err = ParseScale(string(o.Scale)); err != nil {
		return o, err
	}
	if o.Format, err = ParseFormat(string(o.Format)); err != nil {
		return o, err
	}
	if o.Encoding, err = ParseEncoding(string(o.Encoding)); err != nil {
		return o, err
	}
	if o.Headers, err = ParseHeaders(string(o.Headers)); err != nil {
		return o, err
	}
	if strings.TrimSpace(o.Out) == "" {
		return o, fmt.Errorf("%w: no output folder", ErrOptions)
	}
	return o, nil
}

// ParseScale accepts tiny, company or province.
func ParseScale(s string) (Scale, error) {
	switch v := Scale(strings.ToLower(strings.TrimSpace(s))); v {
	case ScaleTiny, ScaleCompany, ScaleProvince:
		return v, nil
	}
	return "", fmt.Errorf("%w: unknown scale %q (expected tiny, company or province)", ErrOptions, s)
}

// ParseFormat accepts csv, xlsx, ndjson (or json, jsonl) and mixed.
func ParseFormat(s string) (Format, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "csv", "xlsx", "mixed":
		return Format(v), nil
	case "ndjson", "json", "jsonl":
		return FormatJSON, nil
	}
	return "", fmt.Errorf("%w: unknown format %q (expected csv, xlsx, ndjson or mixed)", ErrOptions, s)
}

// ParseEncoding accepts utf8 (utf-8) or gb18030 (gbk, gb2312: GB18030 is their superset).
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "utf8", "utf-8":
		return UTF8, nil
	case "gb18030", "gbk", "gb2312":
		return GB18030, nil
	}
	return "", fmt.Errorf("%w: unknown encoding %q (expected utf8 or gb18030)", ErrOptions, s)
}

// ParseHeaders accepts zh or en.
func ParseHeaders(s string) (Headers, error) {
	switch v := Headers(strings.ToLower(strings.TrimSpace(s))); v {
	case HeadersZh, HeadersEn:
		return v, nil
	}
	return "", fmt.Errorf("%w: unknown header language %q (expected zh or en)", ErrOptions, s)
}
