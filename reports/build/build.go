// Package build is the one application layer that turns a report request into report data:
// it resolves the scope (a unit or party group given by name or code), applies the rules in
// force (queries.Config, read from mingdeng.yaml as assess and analyze read it), runs the
// named queries, the assessment rules and the analysis on the warehouse, and hands their
// results to package reports, which lays the pages out. `mingdeng report`, `report --spec`,
// serve's report pages and the group drill-down all call Build; nothing else among the reports
// packages talks to queries or the warehouse.
//
// It does not write files, speak HTTP or parse flags: the CLI and serve turn its *Result into
// files or a page, and its errors into exit codes (a *RequestError is the user's mistake in the
// request, exit 2; a *ScopeError names a unit or group that cannot be found, exit 1).
package build

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
)

// Kind is which report a request asks for.
type Kind string

// The report kinds.
const (
	Evaluation Kind = "evaluation" // 党建成效评估报告
	Annual     Kind = "annual"     // 年度调研课题报告
	Group      Kind = "group"      // one party group's drill-down (党小组档案)
	Spec       Kind = "spec"       // a Markdown report spec (docs/report-spec.md)
)

// Request is what a report is asked for. Zero values take the defaults documented per field.
type Request struct {
	Kind   Kind
	Period string    // analysis period: month, quarter, half (default), year
	Year   int       // assessment year; 0: the year of To, else the latest year with assessments
	From   time.Time // first day; zero: start of the first year with records (annual: of Year)
	To     time.Time // last day; zero: end of the last year with records (annual: of Year)
	Unit   string    // a unit's code or name; "": every unit
	Group  string    // a party group's code or name (Kind Group; within Unit when given)
	// Config is the rules in force; nil: queries.DefaultConfig(). The CLI and serve pass what
	// mingdeng.yaml (or --config) gives, as assess and analyze do.
	Config *queries.Config
	// ConfigFile is the --config path the user gave, repeated in the 数据来源 commands so they
	// reproduce the figures; "" when the default lookup (./mingdeng.yaml) was used.
	ConfigFile string
	Lang       datasets.Lang
	Spec       *SpecRequest // Kind Spec
	// Generated is the time shown in the report header; zero: now.
	Generated time.Time
}

// SpecRequest is a report spec to render.
type SpecRequest struct {
	File   string   // the spec's file name, for messages and the output name
	Text   []byte   // its Markdown
	Params []string // name=value, as --param gives them
}

// Result is a built report.
type Result struct {
	Report *reports.Report
	// Name is the file name stem: evaluation, annual, group-CODE or the spec's stem, with
	// "-en" in English.
	Name string
	// Unit and Group are the resolved scope (zero when not asked for).
	Unit, Group queries.Match
}

// Build makes the report req asks for from the warehouse w.
func Build(ctx context.Context, w *warehouse.Warehouse, req Request) (*Result, error) {
	if req.Lang == "" {
		req.Lang = datasets.Zh
	}
	if req.Generated.IsZero() {
		req.Generated = time.Now()
	}
	cfg := queries.DefaultConfig()
	if req.Config != nil {
		cfg = *req.Config
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if req.Kind == Spec {
		return buildSpec(ctx, w, req)
	}
	// The report's queries on one connection, so the tables that several parts read (survey
	// cells, activity and outcomes by period, patrols and defects per team and month) are
	// computed once. A second connection running the evaluation's analysis beside the rest
	// measured no less CPU and held its own copies of those tables (peak RSS 2.4-2.7 GiB
	// against 1.9-2.1 at province scale).
	s, err := queries.NewSession(ctx, w.DB())
	if err != nil {
		return nil, err
	}
	res, err := build(ctx, w, s, req, cfg)
	if cerr := s.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// build makes the report on s.
func build(ctx context.Context, w *warehouse.Warehouse, s *queries.Session, req Request, cfg queries.Config) (*Result, error) {
	b := &builder{ctx: ctx, w: w, db: s, req: req, cfg: cfg, sources: map[string]reports.Source{}}
	if err := b.prepare(); err != nil {
		return nil, err
	}
	if err := b.preconditions(); err != nil {
		return nil, err
	}
	var rep *reports.Report
	var err error
	switch req.Kind {
	case Evaluation:
		rep, err = b.evaluation()
	case Annual:
		rep, err = b.annual()
	case Group:
		rep, err = b.group()
	}
	if err != nil {
		return nil, err
	}
	span := queries.StartTrace()
	reports.AddCompleteness(rep, b.completeness, b.completenessSrc)
	reports.LabelTables(rep)
	span.End("report: completeness, LabelTables")
	name := string(req.Kind)
	if req.Kind == Group {
		name = "group-" + b.grp.Code
	}
	if req.Lang == datasets.En {
		name += "-en"
	}
	return &Result{Report: rep, Name: name, Unit: b.unit, Group: b.grp}, nil
}

// builder holds one request's state while its queries run.
type builder struct {
	ctx     context.Context
	w       *warehouse.Warehouse
	db      queries.Querier
	req     Request
	cfg     queries.Config
	unit    queries.Match // resolved --unit (Code "" for every unit)
	grp     queries.Match // resolved --group
	year    int           // the assessment year in force
	base    queries.Params
	scope   reports.Scope
	sources map[string]reports.Source
	// hypotheses is the declared primary list and its tests from the last analysis run.
	hypotheses *queries.Hypotheses
	// completeness is the coverage of the period and scope; every report opens with it.
	completeness    *queries.Coverage
	completenessSrc reports.Source
}

// prepare checks the request, resolves the unit and group, and works out the year and the
// query parameters every part shares.
func (b *builder) prepare() error {
	req := b.req
	switch req.Kind {
	case Evaluation, Annual, Group:
	default:
		return requestErrorf("报告 %q：应为 evaluation、annual 或 group", "report %q: expected evaluation, annual or group", string(req.Kind))
	}
	if req.Period == "" {
		b.req.Period = "half"
	}
	if err := (queries.Params{Period: b.req.Period}).Validate(); err != nil {
		return requestErrorf("--period %q：应为 month、quarter、half 或 year", "--period %q: expected month, quarter, half or year", b.req.Period)
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return requestErrorf("--to %s 早于 --from %s", "--to %s is before --from %s", req.To.Format(time.DateOnly), req.From.Format(time.DateOnly))
	}
	if req.Kind == Group && strings.TrimSpace(req.Group) == "" {
		return requestErrorf("report group 需要 --group（党小组名称或代码）", "report group needs --group (a party group's name or code)")
	}
	if req.Unit != "" {
		m, err := Resolve(b.ctx, b.db, "unit", req.Unit, "")
		if err != nil {
			return err
		}
		b.unit = m
	}
	if req.Kind == Group {
		m, err := Resolve(b.ctx, b.db, "group", req.Group, b.unit.Code)
		if err != nil {
			return err
		}
		b.grp = m
	}
	b.base = queries.Params{From: req.From, To: req.To, Unit: b.unit.Code, Config: &b.cfg}
	company, err := queries.CompanyName(b.ctx, b.db, b.unit.Code)
	if err != nil {
		return err
	}
	b.scope = reports.Scope{Company: company, Unit: b.unit.Code, From: req.From, To: req.To, Period: b.req.Period,
		Generated: req.Generated, Warehouse: filepath.Base(b.w.Path())}
	if b.unit.Code != "" {
		b.scope.Company = b.unit.Name
	}
	b.year = req.Year
	if b.year == 0 && !req.To.IsZero() {
		b.year = req.To.Year()
	}
	if b.year == 0 {
		// The latest year with assessments, not the calendar: records usually lag by months,
		// and a write-up covers a completed year.
		years, err := queries.Run(b.ctx, b.db, "assessment_years", queries.Params{Unit: b.unit.Code})
		if err != nil {
			return err
		}
		if len(years.Rows) > 0 {
			b.year = int(queries.Number(years.Rows[0][0]))
		}
	}
	return nil
}

// preconditions is where a report's preconditions and data completeness are decided, once
// the scope is resolved and before any part is built: an error here stops the report (the
// CLI exits 1 with its message). It is the place for the per-dataset × month coverage of the
// requested period and scope, and for refusing a year or scope with no data at all.
func (b *builder) preconditions() error {
	c, src, err := b.coverage()
	if err != nil {
		return err
	}
	if c.Empty() {
		return b.noData(c)
	}
	b.completeness, b.completenessSrc = c, src
	return nil
}

// run executes one named query and remembers, under key, how to re-run it.
func (b *builder) run(key, name string, p queries.Params) (*queries.Table, error) {
	tb, err := queries.Run(b.ctx, b.db, name, p)
	if err == nil {
		err = reports.CheckColumns(name, tb)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b.sources[key] = b.source(name, "query "+name, p)
	return tb, nil
}

// with is the shared parameters at period.
func (b *builder) with(period string) queries.Params { p := b.base; p.Period = period; return p }

// source describes a figure's origin: the query, its parameters, and the mingdeng command line
// that prints the same numbers (command is the subcommand and its leading words).
func (b *builder) source(name, command string, p queries.Params) reports.Source {
	params := describeParams(p)
	cmd := "mingdeng " + command
	if params != "" {
		cmd += " " + params
	}
	if sub, _, _ := strings.Cut(command, " "); b.req.ConfigFile != "" && configCommands[sub] {
		cmd += " --config " + shellWord(b.req.ConfigFile)
	}
	return reports.Source{Query: name, Params: params, Command: cmd + " --format json"}
}

// configCommands are the subcommands whose figures depend on the rules in force: they take
// --config, which the source command repeats when the report was given one.
var configCommands = map[string]bool{"query": true, "assess": true, "analyze": true}

// describeParams writes query parameters as the flags of mingdeng query, assess and analyze.
func describeParams(p queries.Params) string {
	var parts []string
	if p.Period != "" {
		parts = append(parts, "--period "+p.Period)
	}
	if !p.From.IsZero() {
		parts = append(parts, "--from "+p.From.Format(time.DateOnly))
	}
	if !p.To.IsZero() {
		parts = append(parts, "--to "+p.To.Format(time.DateOnly))
	}
	if p.Unit != "" {
		parts = append(parts, "--unit "+shellWord(p.Unit))
	}
	if p.Year != 0 {
		parts = append(parts, "--year "+strconv.Itoa(p.Year))
	}
	return strings.Join(parts, " ")
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '=' || r == '.' || r == '/' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
