package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

// Serve's memory bound. DuckDB's memory_limit caps what its buffer manager holds (it spills
// the rest), but not every allocation of a query (string heaps of vectors, aggregate states);
// the watch below covers those: it samples the process's resident memory and stops every
// running web query once it passes the bound, then gives the memory back. Results are capped
// in bytes as well as rows before they are encoded, so a reply never holds more than that.
const (
	defaultServeMemory   = 3 << 30  // bytes of resident memory serve keeps under
	defaultServeMaxBytes = 32 << 20 // bytes of values in one reply
	memoryWatchEvery     = 25 * time.Millisecond
	maxRetryWait         = 10 * time.Second // how long a query stopped for memory waits to run again
	// Once no query has run for settleAfter, a Go heap holding more than settleAbove (the
	// garbage of large results and their encodings) is collected and returned to the system:
	// an idle serve would otherwise keep it until the runtime's next collection, which an idle
	// process may not reach for minutes, and the office sees serve at its peak size.
	settleAfter = 500 * time.Millisecond
	settleAbove = 64 << 20
)

// errMemoryBound is the cause of a query stopped by the memory watch.
var errMemoryBound = errors.New("serve's memory bound reached")

// memoryError is a web query stopped because serve's memory passed its bound.
type memoryError struct{ bound int64 }

func (e *memoryError) Error() string      { return e.Message(datasets.En) }
func (e *memoryError) ReasonCode() string { return "memory" }
func (e *memoryError) Message(lang datasets.Lang) string {
	mib := e.bound >> 20
	if mib == 0 {
		return datasets.T("查询使用的内存超过了上限，已停止；请缩小查询范围或先汇总再查询",
			"the query went past the memory limit and was stopped; narrow it or aggregate first").In(lang)
	}
	return datasets.T(
		fmt.Sprintf("查询使用的内存超过了服务的上限（%d MiB），已停止；请缩小查询范围或先汇总再查询", mib),
		fmt.Sprintf("the query took serve past its memory bound (%d MiB) and was stopped; narrow it or aggregate first", mib)).In(lang)
}

// boundBytes is the bound, 0 for a nil watch.
func (m *memoryWatch) boundBytes() int64 {
	if m == nil {
		return 0
	}
	return m.bound
}

// memoryWatch stops running queries when the process's resident memory passes bound.
type memoryWatch struct {
	bound   int64
	mu      sync.Mutex
	next    int
	running map[int]context.CancelCauseFunc
	waiting int   // queries in waitAlone
	peak    int64 // highest resident memory sampled, for the tests and the log
	gen     int   // counts queries started and ended, so a settle knows none ran since
}

func newMemoryWatch(ctx context.Context, bound int64) *memoryWatch {
	m := &memoryWatch{bound: bound, running: map[int]context.CancelCauseFunc{}}
	go m.loop(ctx)
	return m
}

// track registers a query; done must be called when its reply is written. A nil watch (a
// backend built without one) watches nothing.
func (m *memoryWatch) track(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if m == nil {
		return ctx, func() { cancel(nil) }
	}
	m.mu.Lock()
	id := m.next
	m.next++
	m.running[id] = cancel
	m.gen++
	m.mu.Unlock()
	return ctx, func() {
		m.mu.Lock()
		delete(m.running, id)
		m.gen++
		idle, gen := len(m.running) == 0, m.gen
		m.mu.Unlock()
		cancel(nil)
		if idle {
			time.AfterFunc(settleAfter, func() { m.settle(gen) })
		}
	}
}

// settle returns the Go heap's garbage to the system when no query has started or ended since
// the one that left serve idle (gen) and the heap holds more than settleAbove.
func (m *memoryWatch) settle(gen int) {
	m.mu.Lock()
	quiet := len(m.running) == 0 && m.gen == gen
	m.mu.Unlock()
	if quiet && goHeapBytes() > settleAbove {
		debug.FreeOSMemory()
	}
}

// goHeapBytes is what the Go heap holds from the system: objects (live or not yet swept) and
// free space not yet returned.
func goHeapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	var n uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			n += x.Value.Uint64()
		}
	}
	return n
}

// waitBelow holds a query back while resident memory is above the bound, at most maxRetryWait
// (or until ctx ends): right after the watch stopped a query, its memory is still being returned,
// and a query sent then would be stopped in its turn although it needs little.
func (m *memoryWatch) waitBelow(ctx context.Context) {
	if m == nil {
		return
	}
	deadline := time.Now().Add(maxRetryWait)
	for residentBytes() > m.bound && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitAlone waits until every other running query is done or waiting too (true), at most
// maxRetryWait; it reports false at once when the caller was alone, or when ctx ends first.
// Waiting queries do not count, so two queries that both ran out of memory do not wait for
// each other.
func (m *memoryWatch) waitAlone(ctx context.Context) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	m.waiting++
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.waiting--
		m.mu.Unlock()
	}()
	deadline := time.Now().Add(maxRetryWait)
	for waited := false; ; waited = true {
		m.mu.Lock()
		busy := len(m.running) - m.waiting
		m.mu.Unlock()
		if busy <= 0 || time.Now().After(deadline) {
			return waited
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (m *memoryWatch) loop(ctx context.Context) {
	tick := time.NewTicker(memoryWatchEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		rss := residentBytes()
		m.mu.Lock()
		if rss > m.peak {
			m.peak = rss
		}
		over := rss > m.bound && len(m.running) > 0
		if over {
			for id, cancel := range m.running {
				cancel(errMemoryBound)
				delete(m.running, id)
			}
		}
		m.mu.Unlock()
		if over {
			// Give back what the stopped queries' results held on the Go side; DuckDB's
			// allocator returns its own as the queries unwind.
			debug.FreeOSMemory()
		}
	}
}

// residentBytes is the process's resident set (VmRSS), or 0 where /proc is not there.
func residentBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
