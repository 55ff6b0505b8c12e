package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
)

// TestServeKeepsItsLockAgainstTheAttachQuery sends the query that once made DuckDB attach and
// detach the warehouse under serve (dropping its lock), then starts a second writer process:
// the query is refused, and the writer is told the warehouse is in use.
func TestServeKeepsItsLockAgainstTheAttachQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "W.duckdb")
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	base, _ := serveDB(t, db)
	attack := `SELECT * FROM (WITH "` + db + `" AS (SELECT 1) SELECT 1) a, '` + db + `'`
	if r := post(t, base, "/api/query", attack, nil); r.status != http.StatusUnprocessableEntity || r.body["reason"] != "path_like" {
		t.Fatalf("attach query: %d %s", r.status, r.raw)
	}
	release, err := warehousetest.TryHold(t, db)
	if err == nil {
		release()
		t.Fatal("a second writer opened the warehouse while serve had it")
	}
	if !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second writer: %v", err)
	}
	if r := post(t, base, "/api/query", "select count(*) from units", nil); r.status != 200 {
		t.Fatalf("serve stopped answering: %d %s", r.status, r.raw)
	}
}

// TestServeMemoryStaysBounded sends the queries that took serve from 0.4 to 3.9 GB (a 600 MB
// result, a 2 GB aggregate, a 1.5 GB value) while other clients poll; serve's resident memory,
// sampled every 25 ms, must stay under its bound, the big results must come back truncated or
// refused, the small queries must be answered meanwhile, and the memory must be given back once
// serve is idle. The process is the test's as well as serve's, so the test keeps no reply
// beyond what it checks; "given back" allows a loaded machine up to settleWait for DuckDB to
// unwind the stopped queries and serve to return its heap, and fails only if the memory stays.
func TestServeMemoryStaysBounded(t *testing.T) {
	const bound = 1536 << 20 // 1.5 GiB of resident memory for the whole test process
	t.Setenv("MINGDENG_MEMORY_LIMIT", "512MB")
	db := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.DB().Exec(`INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U1', '线路工区', 1, 2)`)
	w.Close()
	// A generous time limit: the 600 MB query computes 400 MB vectors, slow on a loaded machine,
	// and this test is about memory, not time.
	base := serveBounded(t, db, bound, 32<<20, 120*time.Second, 10000)
	before := residentBytes()

	var peak int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(25 * time.Millisecond):
			}
			if r := residentBytes(); r > peak {
				peak = r
			}
		}
	}()
	big := []struct{ sql, want string }{
		// 600 MB of result: cut at the byte cap.
		{`SELECT repeat('x', 100000) || repeat('y', 100000) AS v FROM range(3000)`, "truncated"},
		// A 2 GB value built by an aggregate: stopped (DuckDB's limit or serve's watch).
		{`SELECT length(string_agg(repeat('x', 100000), '')) FROM range(20000)`, "stopped"},
		// A 1.5 GB value in one call: refused before it runs.
		{`SELECT length(repeat('x', 1500000000))`, "too_large"},
		// One 200 MB value built by an aggregate: stopped inside DuckDB (by the value check, or
		// by the memory limit when it meets the other queries), never copied to Go.
		{`SELECT string_agg('x', '') AS v FROM range(200000000)`, "too_large|memory"},
	}
	var wg sync.WaitGroup
	results := make([]apiResult, len(big))
	for i, q := range big {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := post(t, base, "/api/query", q.sql, nil)
			// Keep what is checked below, not the 32 MiB reply: it is the test's memory, not serve's.
			results[i] = apiResult{status: r.status, raw: []byte(fmt.Sprint(len(r.raw))), body: map[string]any{
				"truncated": r.body["truncated"], "reason": r.body["reason"], "error": r.body["error"]}}
		}()
	}
	// Other clients are answered while the big queries run.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	answered, slowest := 0, time.Duration(0)
poll:
	for {
		select {
		case <-done:
			break poll
		case <-time.After(100 * time.Millisecond):
		}
		start := time.Now()
		r := post(t, base, "/api/query", "select name from units", nil)
		if r.status != 200 {
			t.Errorf("small query during the load: %d %s", r.status, r.raw)
		}
		if d := time.Since(start); d > slowest {
			slowest = d
		}
		answered++
	}
	for i, q := range big {
		r := results[i]
		switch q.want {
		case "truncated":
			if n, _ := strconv.Atoi(string(r.raw)); r.status != 200 || r.body["truncated"] != true || n > 40<<20 {
				t.Errorf("%s: %d, truncated=%v, %d bytes", q.sql, r.status, r.body["truncated"], n)
			}
		case "stopped":
			if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "memory" || !strings.Contains(fmt.Sprint(r.body["error"]), "内存") {
				t.Errorf("%s: %d %s, want the memory refusal", q.sql, r.status, r.raw)
			}
		default:
			if !strings.Contains("|"+q.want+"|", fmt.Sprint("|", r.body["reason"], "|")) {
				t.Errorf("%s: %d %s, want reason %s", q.sql, r.status, r.raw, q.want)
			}
		}
	}
	// Idle now: the resident memory must come back near where it started.
	const settleWait, slack = 30 * time.Second, 128 << 20
	idle := time.Now()
	after := residentBytes()
	for after > before+slack && time.Since(idle) < settleWait {
		time.Sleep(250 * time.Millisecond)
		after = residentBytes()
	}
	settled := time.Since(idle)
	close(stop)
	sampler.Wait()
	t.Logf("RSS before %d MiB, peak %d MiB, after %d MiB within %v (bound %d MiB); %d small queries answered during the load, slowest %v",
		before>>20, peak>>20, after>>20, settled.Round(time.Millisecond), bound>>20, answered, slowest)
	if peak > bound+256<<20 {
		t.Errorf("resident memory reached %d MiB, bound %d MiB", peak>>20, bound>>20)
	}
	if answered == 0 {
		t.Error("no small query was answered while the big ones ran")
	}
	if after > before+slack {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.Errorf("memory was not given back: %d MiB before, %d MiB after %v idle (Go heap: %d MiB in use, %d MiB free not returned)",
			before>>20, after>>20, settleWait, ms.HeapInuse>>20, (ms.HeapIdle-ms.HeapReleased)>>20)
	}
}

// TestServeMemoryWatchStopsAGrowingQuery: with DuckDB's own limit far above serve's bound, a
// query whose aggregate grows past the bound is stopped by serve's watch, with the memory
// message, and serve answers the next query.
func TestServeMemoryWatchStopsAGrowingQuery(t *testing.T) {
	t.Setenv("MINGDENG_MEMORY_LIMIT", "8GB")
	db := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	bound := residentBytes() + 300<<20
	base := serveBounded(t, db, bound, 0, 60*time.Second, 100)
	start := time.Now()
	r := post(t, base, "/api/query", `SELECT length(string_agg(repeat('x', 1000), '')) FROM range(4000000)`, nil)
	if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "memory" {
		t.Fatalf("a 4 GB aggregate under a %d MiB bound: %d %s", bound>>20, r.status, r.raw)
	}
	if r := post(t, base, "/api/query", "select 1", nil); r.status != 200 {
		t.Fatalf("after the stop: %d %s", r.status, r.raw)
	}
	t.Logf("stopped after %v; bound %d MiB", time.Since(start), bound>>20)
}

// serveBounded serves db in-process with the given memory bound and byte cap.
func serveBounded(t *testing.T, db string, bound, maxBytes int64, timeout time.Duration, maxRows int) string {
	t.Helper()
	var out bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, dbPath: db, lang: datasets.Zh, serveMemory: bound, serveMaxBytes: maxBytes}
	srv, link, err := a.startServer(context.Background(), "127.0.0.1:0", nil, timeout, maxRows)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	u, _ := url.Parse(link)
	return "http://" + u.Host
}

// TestServeKeepsRepeatedColumnNames: the caps wrap the query in a subquery, where DuckDB would
// rename a repeated column (a, a_1); the reply keeps the names the query gave. A single value
// larger than a whole reply is refused inside DuckDB with its own message.
func TestServeKeepsRepeatedColumnNames(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 30*time.Second)
	if r := post(t, base, "/api/query", "select string_agg('x', '') as v from range(40000000)", nil); r.status != http.StatusUnprocessableEntity || r.body["reason"] != "too_large" || !strings.Contains(fmt.Sprint(r.body["error"]), "32 MiB") {
		t.Errorf("a 40 MB value: %d %s", r.status, r.raw)
	}
	r := post(t, base, "/api/query", "select 1 as a, 2 as a, unit_id from units order by unit_id desc", nil)
	cols, _ := r.body["columns"].([]any)
	var names []string
	for _, c := range cols {
		names = append(names, fmt.Sprint(c.(map[string]any)["name"]))
	}
	rows, _ := r.body["rows"].([]any)
	if r.status != 200 || strings.Join(names, ",") != "a,a,unit_id" || len(rows) != 2 || fmt.Sprint(rows[0]) != "[1 2 U2]" {
		t.Fatalf("%d %v %v", r.status, names, rows)
	}
}
