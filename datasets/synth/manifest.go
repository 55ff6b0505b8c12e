package synth

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// ErrOptions wraps every error about the options given.
var ErrOptions = errors.New("invalid generator options")

// ManifestName is the manifest's file name inside the output folder.
const ManifestName = "manifest.json"

// Manifest describes a generated folder: what each file holds and which effects were planted.
type Manifest struct {
	Scale    Scale                    `json:"scale"`
	Seed     uint64                   `json:"seed"`
	Format   Format                   `json:"format"`
	Encoding Encoding                 `json:"encoding"`
	Headers  Headers                  `json:"headers"`
	Messy    bool                     `json:"messy"`
	Years    []int                    `json:"years"`
	Files    []FileEntry              `json:"files"`
	Datasets map[string]*DatasetTotal `json:"datasets"`
	Effects  []Effect                 `json:"effects"`
	// Faults totals each --messy fault over all files (see FileEntry.Faults).
	Faults map[string]int `json:"faults,omitempty"`
	// ClippedRates counts team-halves whose expected violation rate fell below the floor
	// (0.5 per 100 staff) and was raised to it; near 0 with the default effects.
	ClippedRates int `json:"clipped_rates"`
}

// FileEntry describes one written file. Rows counts every data row written: good rows, bad rows
// and duplicates (not the title row, the header or blank lines).
type FileEntry struct {
	Path          string `json:"path"` // relative to the output folder, slash-separated
	Dataset       string `json:"dataset"`
	Year          int    `json:"year,omitempty"`    // 0 for files that are not yearly
	Format        Format `json:"format"`            // csv, xlsx or ndjson
	Encoding      string `json:"encoding"`          // utf8 or gb18030 (XLSX and NDJSON: utf8)
	Sheet         string `json:"sheet,omitempty"`   // XLSX sheet name
	Rows          int    `json:"rows"`              // data rows written: good + bad + duplicates
	BadRows       int    `json:"bad_rows"`          // rows ingest must reject
	DuplicateRows int    `json:"duplicate_rows"`    // exact copies of an earlier good row
	HeaderLine    int    `json:"header_line"`       // physical line (CSV, NDJSON) or row (XLSX) of the header; 0 for NDJSON
	ByName        bool   `json:"by_name,omitempty"` // groups or teams are given by name, resolved within the unit or branch column
	// Columns maps each header written, in order, to its contract column.
	Columns []HeaderColumn `json:"columns"`
	// Bad lists every bad row: where it is and why ingest must reject it.
	Bad []BadRow `json:"bad,omitempty"`
	// Faults counts the --messy faults in this file by kind (cells or lines affected).
	Faults map[string]int `json:"faults,omitempty"`
}

// HeaderColumn maps a written header to its contract column.
type HeaderColumn struct {
	Header string `json:"header"`
	Column string `json:"column"`
}

// BadRow is one row ingest must reject.
type BadRow struct {
	Line   int    `json:"line"`   // physical line (CSV, NDJSON) or sheet row (XLSX), 1-based, as a user sees it
	Record int    `json:"record"` // 1-based index among the data rows of the file (blank lines not counted)
	Column string `json:"column"` // contract column at fault
	Reason string `json:"reason"` // bad_date, negative_value, unknown_reference, missing_required
	Value  string `json:"value"`  // the value written ("" when missing)
}

// DatasetTotal sums the files of one dataset.
type DatasetTotal struct {
	Files         int `json:"files"`
	Rows          int `json:"rows"`
	BadRows       int `json:"bad_rows"`
	DuplicateRows int `json:"duplicate_rows"`
}

// Effect is one planted effect, named as in docs/metrics.md.
type Effect struct {
	Name        string  `json:"name"`
	Activity    string  `json:"activity"`
	Outcome     string  `json:"outcome"`
	Lag         int     `json:"lag"` // in halves (resolved_customer: same year)
	Coefficient float64 `json:"coefficient"`
	Unit        string  `json:"unit"`
	Period      string  `json:"period"` // half or year: the panel the effect is planted on
	Note        string  `json:"note,omitempty"`
}

func effectList(e Effects) []Effect {
	return []Effect{
		{"quality_defects_found", "production_linked_share", "defects_per_100km", 1, e.QualityDefectsFound,
			"defects per 100 km per unit share (0-1)", "half", ""},
		{"critique_violations", "critique_per_meeting", "violations_per_100_staff", 1, e.CritiqueViolations,
			"violations per 100 staff per half, per critique item per meeting", "half", ""},
		{"resolved_violations", "problems_resolved_per_meeting", "violations_per_100_staff", 1, e.ResolvedViolations,
			"violations per 100 staff per half, per problem resolved per meeting", "half", ""},
		{"meeting_count_null", "meetings_held", "violations_per_100_staff", 1, e.MeetingCountNull,
			"violations per 100 staff per half, per group meeting", "half",
			"meeting count drifts with meeting quality within a group, so it looks related unless quality is controlled"},
		{"model_post_violations", "model_post_awarded", "violations_per_100_staff", 0, e.ModelPostViolations,
			"violations per 100 staff per half, per unit share of the group's staff in teams holding one of the six model-post kinds", "half",
			"posts go preferentially to teams of groups with a lower baseline (selection); a naive before/after or cross-section comparison overstates the effect"},
		{"resolved_customer", "problems_resolved_per_meeting", "customer_satisfaction", 0, e.ResolvedCustomer,
			"points (0-100) per problem resolved per meeting, same year", "year", ""},
	}
}

// ReadManifest reads OUT/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), append(b, '\n'), 0o644)
}
