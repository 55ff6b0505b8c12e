package synth

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Generate writes the source files of every dataset and OUT/manifest.json. progress, when not
// nil, is called from one goroutine with the data rows written so far and an estimate of the
// total (exact in the last call). The same options give byte-identical files.
func Generate(ctx context.Context, opts Options, progress func(done, total int64)) (*Manifest, error) {
	opt, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, err
	}
	w := buildWorld(opt)
	w.buildMeetings()
	for t := range w.teams {
		for h := 0; h < w.H; h++ {
			if w.violationRate(t, h) < violationFloor {
				w.clipped++
			}
		}
	}
	jobs := w.jobs()
	w.chooseFormats(jobs)
	total := w.estimateRows()

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var done atomic.Int64
	results := make([][]*FileEntry, len(jobs))
	errs := make([]error, len(jobs))
	next := atomic.Int64{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) || ctx.Err() != nil {
					return
				}
				results[k], errs[k] = w.runJob(ctx, jobs[k], &done)
				if errs[k] != nil {
					cancel()
				}
			}
		}()
	}
	stop := make(chan struct{})
	var pw sync.WaitGroup
	if progress != nil {
		pw.Add(1)
		go func() {
			defer pw.Done()
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					d := done.Load()
					progress(d, max(total, d))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	pw.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	m := &Manifest{Scale: opt.Scale, Seed: opt.Seed, Format: opt.Format, Encoding: opt.Encoding, Headers: opt.Headers, Messy: opt.Messy,
		Datasets: map[string]*DatasetTotal{}, Effects: effectList(*opt.Effects), ClippedRates: w.clipped}
	for y := 0; y < w.years(); y++ {
		m.Years = append(m.Years, w.firstYear+y)
	}
	var rows int64
	for _, entries := range results {
		for _, f := range entries {
			m.Files = append(m.Files, *f)
			t := m.Datasets[f.Dataset]
			if t == nil {
				t = &DatasetTotal{}
				m.Datasets[f.Dataset] = t
			}
			t.Files++
			t.Rows += f.Rows
			t.BadRows += f.BadRows
			t.DuplicateRows += f.DuplicateRows
			rows += int64(f.Rows)
			for k, v := range f.Faults {
				if m.Faults == nil {
					m.Faults = map[string]int{}
				}
				m.Faults[k] += v
			}
		}
	}
	if err := writeManifest(opt.Out, m); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(rows, rows)
	}
	return m, nil
}

func (w *world) runJob(ctx context.Context, j *job, done *atomic.Int64) ([]*FileEntry, error) {
	es := make([]*emitter, len(j.files))
	for i, f := range j.files {
		e := &emitter{w: w, job: f, opt: w.opt, dir: w.opt.Out, done: done, ctx: ctx,
			mr: stream(w.opt.Seed, "messy/"+f.base)}
		for _, c := range f.cols {
			e.types = append(e.types, c.col.Type)
		}
		e.nextBad = max(1, min(badEvery/2, f.estRows/2))
		es[i] = e
	}
	err := j.produce(es)
	var out []*FileEntry
	for _, e := range es {
		if err == nil {
			err = e.finish()
		} else {
			_ = e.closePart()
		}
		out = append(out, e.entries...)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", j.files[0].base, err)
	}
	return out, nil
}

var bigDatasets = map[string]bool{"attendance": true, "patrols": true, "defects": true, "survey_responses": true}

// chooseFormats gives each file its format and a row estimate (used to place bad rows).
// mixed rotates CSV, XLSX and NDJSON over the files but keeps the large fact files in CSV
// above tiny scale, as nobody hands over a million-row spreadsheet twice.
func (w *world) chooseFormats(jobs []*job) {
	i := 0
	for _, j := range jobs {
		for _, f := range j.files {
			f.format = w.opt.Format
			if w.opt.Format == FormatMixed {
				f.format = []Format{FormatCSV, FormatXLSX, FormatJSON}[i%3]
				if bigDatasets[f.dataset] && w.opt.Scale != ScaleTiny {
					f.format = FormatCSV
				}
			}
			f.estRows = w.estimate(f)
			i++
		}
	}
}

func (w *world) estimate(f *fileJob) int {
	switch f.dataset {
	case "units":
		return len(w.units)
	case "branches":
		return len(w.branches)
	case "party_groups":
		return len(w.groups)
	case "teams", "group_teams":
		return len(w.teams)
	case "people":
		return len(w.people)
	case "model_posts":
		return len(w.posts)
	case "survey_items":
		return w.years() * (len(customerItems) + len(employeeItems))
	case "meetings":
		return len(w.meetings[f.year-w.firstYear]) / 2
	case "attendance":
		n := 0
		for _, m := range w.meetings[f.year-w.firstYear] {
			n += int(m.expected)
		}
		return n
	case "assessments":
		return 2 * len(w.groups) * len(assessmentItems)
	case "member_reviews", "trainings":
		return len(w.people) / 3
	case "awards":
		return len(w.people) / 30
	case "patrols", "defects":
		n := 0.0
		for _, t := range w.teams {
			n += t.tpl.patrols
		}
		if f.dataset == "defects" {
			n *= 0.4
		}
		return int(n)
	case "safety_events":
		return len(w.people) / 5
	case "survey_responses":
		return len(w.teams) * w.spec.customerResponses * len(customerItems)
	}
	return 0
}

func (w *world) estimateRows() int64 {
	var n int64
	for _, j := range w.jobs() {
		for _, f := range j.files {
			n += int64(w.estimate(f))
		}
	}
	return n
}
