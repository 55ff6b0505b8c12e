package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// child starts one mingdeng command line as a real process (the test binary re-executed).
func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	argv, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runCLIEnv+"="+string(argv))
	return cmd
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// writePatrols writes a patrols CSV of about size bytes, streaming it to disk.
func writePatrols(t *testing.T, path string, size int64, prefix string) int {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, "巡视编号,班组,线路名称,电压等级,巡视日期,巡视类型,巡视里程,计划内,发现缺陷数\n")
	var written int64
	n := 0
	for ; written < size; n++ {
		k, _ := fmt.Fprintf(w, "%s%09d,T0%d,龙潭线,220kV,2024/%d/%d,正常巡视,%d.5,是,%d\n", prefix, n, 1+n%2, 1+n%12, 1+n%28, n%30, n%3)
		written += int64(k)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return n
}

// TestLargeCSVIsStreamed ingests a generated CSV of MINGDENG_BIG_CSV_MB MiB (200 by default;
// 2048 for the 2 GB run of docs/RELIABILITY.md) in a child process with DuckDB's memory capped
// at 512 MB (MINGDENG_MEMORY_LIMIT), and checks every row arrived and that the child's peak RSS
// stayed under 1 GiB whatever the file's size: the file is streamed, and what DuckDB stages
// beyond its limit spills to disk.
func TestLargeCSVIsStreamed(t *testing.T) {
	mb := envInt("MINGDENG_BIG_CSV_MB", 200)
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	mingdeng(t, "init", "--db", db)
	org := t.TempDir()
	writeTree(t, org, cliOrg)
	if r := mingdeng(t, "ingest", "--db", db, org); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	big := filepath.Join(dir, "巡视记录.csv")
	t0 := time.Now()
	n := writePatrols(t, big, int64(mb)<<20, "P")
	t.Logf("wrote %d MiB, %d rows in %.1fs", mb, n, time.Since(t0).Seconds())
	cmd := child(t, "ingest", "--db", db, "--format", "json", big)
	peakFile := filepath.Join(dir, "peak-rss")
	cmd.Env = append(cmd.Env, "TMPDIR="+dir, "MINGDENG_MEMORY_LIMIT=512MB", peakRSSFileEnv+"="+peakFile)
	t0 = time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	secs := time.Since(t0).Seconds()
	peak, err := os.ReadFile(peakFile)
	if err != nil {
		t.Fatalf("the ingest process wrote no peak RSS: %v", err)
	}
	kib, err := strconv.ParseInt(string(peak), 10, 64)
	if err != nil {
		t.Fatalf("peak RSS %q: %v", peak, err)
	}
	rss := kib << 10
	t.Logf("rusage maxrss of the child %d MiB (includes this test process's own high-water mark)", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss>>10)
	t.Logf("ingested %d MiB (%d rows) in %.1fs (%.0f rows/s); peak RSS of the ingest process %d MiB", mb, n, secs, float64(n)/secs, rss>>20)
	var sum struct{ Files []struct{ Loaded int } }
	if err := json.Unmarshal(out, &sum); err != nil || len(sum.Files) != 1 || sum.Files[0].Loaded != n {
		t.Fatalf("%v %s", err, out)
	}
	if limit := int64(1 << 30); rss > limit {
		t.Errorf("peak RSS %d MiB is more than %d MiB", rss>>20, limit>>20)
	}
}

// TestKilledIngestLeavesWarehouseAsBefore kills a real `mingdeng ingest` of a folder of four
// files with SIGKILL at random points of its run, again and again (MINGDENG_KILLS times, 6 by
// default; the long run of docs/RELIABILITY.md uses 60). After every kill the warehouse opens,
// every loaded batch holds exactly the rows its _batches record says, no row belongs to a batch
// that is not loaded, and each file is either wholly present or absent. A rerun after the kills
// converges to the contents of an uninterrupted ingest.
func TestKilledIngestLeavesWarehouseAsBefore(t *testing.T) {
	kills := envInt("MINGDENG_KILLS", 6)
	base := filepath.Join(t.TempDir(), "base.duckdb")
	mingdeng(t, "init", "--db", base)
	org := t.TempDir()
	writeTree(t, org, cliOrg)
	if r := mingdeng(t, "ingest", "--db", base, org); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	data := t.TempDir()
	rows := map[string]int{}
	for i := 0; i < 4; i++ {
		name := fmt.Sprintf("巡视记录%d.csv", i)
		rows[name] = writePatrols(t, filepath.Join(data, name), 3<<20, fmt.Sprintf("P%d-", i))
	}
	// One file with rejected rows, so rejects are checked too.
	os.WriteFile(filepath.Join(data, "巡视记录x.csv"), []byte("巡视编号,班组,巡视日期,巡视类型,巡视里程\nX1,T01,2024-03-05,正常巡视,1\nX2,T09,2024-03-05,正常巡视,1\nX3,T01,2024-13-05,正常巡视,1\n"), 0o644)
	rows["巡视记录x.csv"] = 1
	fresh := func(name string) string {
		db := filepath.Join(t.TempDir(), name)
		b, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(db, b, 0o644)
		return db
	}
	sqlOne := func(db, q string) string {
		t.Helper()
		r := mingdeng(t, "sql", "--db", db, "--format", "csv", q)
		if r.code != 0 {
			t.Fatalf("the warehouse does not open: %+v", r)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		return strings.Join(lines[1:], "\n")
	}
	digest := func(db string) string {
		return sqlOne(db, "SELECT (SELECT count(*) || ':' || coalesce(CAST(bit_xor(hash(s)) AS VARCHAR), '-') FROM (SELECT * EXCLUDE (_batch_id) FROM patrols) s) || ' ' || "+
			"(SELECT count(*) || ':' || coalesce(CAST(bit_xor(hash(s)) AS VARCHAR), '-') FROM (SELECT path, source_row, column_name, raw_value, reason_code FROM _rejects) s) || ' ' || "+
			"(SELECT count(*) FROM _batches WHERE status = 'loaded' AND dataset = 'patrols')")
	}
	// consistent checks the invariants after a kill.
	consistent := func(db string, round int) {
		t.Helper()
		bad := sqlOne(db, `SELECT count(*) FROM (
			SELECT b.batch_id FROM _batches b LEFT JOIN (SELECT _batch_id, count(*) AS n FROM patrols GROUP BY 1) p ON p._batch_id = b.batch_id
			WHERE b.dataset = 'patrols' AND b.status = 'loaded' AND coalesce(p.n, 0) <> b.loaded + b.updated
			UNION ALL SELECT _batch_id FROM patrols WHERE _batch_id NOT IN (SELECT batch_id FROM _batches WHERE status = 'loaded')
			UNION ALL SELECT batch_id FROM _rejects WHERE batch_id NOT IN (SELECT batch_id FROM _batches WHERE status = 'loaded')
			UNION ALL SELECT b.batch_id FROM _batches b LEFT JOIN (SELECT batch_id, count(*) AS n FROM _rejects GROUP BY 1) r ON r.batch_id = b.batch_id
			WHERE b.status = 'loaded' AND coalesce(r.n, 0) <> b.rejected)`)
		if bad != "0" {
			t.Fatalf("kill %d: %s batches disagree with their rows", round, bad)
		}
		if twice := sqlOne(db, "SELECT count(*) FROM (SELECT path FROM _batches WHERE status = 'loaded' GROUP BY path HAVING count(*) > 1)"); twice != "0" {
			t.Fatalf("kill %d: %s files are loaded twice", round, twice)
		}
		for _, line := range strings.Split(sqlOne(db, "SELECT regexp_extract(path, '[^/]+$'), loaded FROM _batches WHERE status = 'loaded' AND dataset = 'patrols'"), "\n") {
			if line == "" {
				continue
			}
			parts := strings.Split(line, ",")
			if parts[1] != strconv.Itoa(rows[parts[0]]) {
				t.Fatalf("kill %d: %s is partly loaded (%s of %d rows)", round, parts[0], parts[1], rows[parts[0]])
			}
		}
	}

	want := fresh("want.duckdb")
	t0 := time.Now()
	if err := child(t, "ingest", "--db", want, data).Run(); err != nil {
		t.Fatal(err)
	}
	full := time.Since(t0)
	wantDigest := digest(want)
	t.Logf("uninterrupted ingest: %.2fs, %s", full.Seconds(), wantDigest)

	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("MINGDENG_KILL_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("kill times from seed %d (MINGDENG_KILL_SEED repeats them)", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	db := fresh("x.duckdb")
	done, runs, finished := 0, 0, 0
	for done < kills {
		cmd := child(t, "ingest", "--db", db, data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		runs++
		at := time.Duration(rng.Int64N(int64(full) * 11 / 10))
		time.Sleep(at)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil {
			// It finished first: check it converged and start again from the organisation alone.
			finished++
			if got := digest(db); got != wantDigest {
				t.Fatalf("an ingest that finished after %d kills holds %s, want %s", done, got, wantDigest)
			}
			db = fresh(fmt.Sprintf("x%d.duckdb", runs))
			continue
		}
		done++
		consistent(db, done)
	}
	if err := child(t, "ingest", "--db", db, data).Run(); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := digest(db); got != wantDigest {
		t.Fatalf("after %d kills the rerun holds %s, want %s", done, got, wantDigest)
	}
	t.Logf("%d kills survived in %d runs (%d runs finished before their kill and converged)", done, runs, finished)
}

// TestSecondIngestWhileOneRuns: while a real `mingdeng ingest` process loads a file, a second
// ingest and a status in this process get the "in use" message at once, and the first ingest
// completes.
func TestSecondIngestWhileOneRuns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	mingdeng(t, "init", "--db", db)
	org := t.TempDir()
	writeTree(t, org, cliOrg)
	big := filepath.Join(dir, "巡视记录.csv")
	n := writePatrols(t, big, 30<<20, "P")
	cmd := child(t, "ingest", "--db", db, org, big)
	var childErr strings.Builder
	cmd.Stderr = &childErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitLocked(t, db, 60*time.Second)
	for _, args := range [][]string{{"ingest", "--db", db, "--lang", "en", org}, {"status", "--db", db}} {
		t0 := time.Now()
		r := mingdeng(t, args...)
		if r.code != 1 || !(strings.Contains(r.stderr, "in use by another process") || strings.Contains(r.stderr, "正被另一个进程使用")) {
			t.Errorf("%v while an ingest runs: %+v", args[0], r)
		}
		if d := time.Since(t0); d > 5*time.Second {
			t.Errorf("%v took %v to say the warehouse is in use", args[0], d)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the first ingest: %v: %s", err, childErr.String())
	}
	r := mingdeng(t, "sql", "--db", db, "--format", "csv", "select count(*) from patrols")
	if got := strings.Fields(r.stdout); len(got) != 2 || got[1] != strconv.Itoa(n) {
		t.Fatalf("after the first ingest: %+v", r)
	}
}

// waitLocked waits until another process holds DuckDB's write lock on path. It asks with
// F_GETLK, which reports a conflicting lock without taking one, so waiting cannot itself make
// the other process fail with "in use" (a fixed sleep did, on a loaded machine).
func waitLocked(t *testing.T, path string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if f, err := os.Open(path); err == nil {
			lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 0, Len: 0}
			err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk)
			f.Close()
			if err == nil && lk.Type != syscall.F_UNLCK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no other process locked %s within %v", path, timeout)
}
