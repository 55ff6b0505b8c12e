package warehousetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// holdEnv tells a re-executed test binary to act as "another process" holding a warehouse.
const holdEnv = "MINGDENG_TEST_HOLD_WAREHOUSE"

// ServeHoldRequest must be called first in TestMain of a package that uses Hold: in the
// re-executed child it opens the warehouse, says "ready", waits for stdin to close, and exits.
func ServeHoldRequest() {
	path := os.Getenv(holdEnv)
	if path == "" {
		return
	}
	w, err := warehouse.Open(context.Background(), path, warehouse.Options{Create: true})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	w.Close()
	os.Exit(0)
}

// Hold opens the warehouse at path in a second process (the test binary itself) and keeps it
// open until the returned release is called or the test ends.
func Hold(t testing.TB, path string) (release func()) {
	t.Helper()
	release, err := TryHold(t, path)
	if err != nil {
		t.Fatal(err)
	}
	return release
}

// TryHold is Hold for a test that expects the second process may be refused: it returns the
// holder's error line (for instance the in-use message) instead of failing the test.
func TryHold(t testing.TB, path string) (release func(), err error) {
	t.Helper()
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	holder.Stderr = os.Stderr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			stdin.Close()
			holder.Wait()
		}
	}
	t.Cleanup(release)
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		release()
		return release, fmt.Errorf("holder process: %s", strings.TrimSpace(line))
	}
	return release, nil
}
