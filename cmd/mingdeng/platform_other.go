//go:build !windows

package main

import (
	"os"
	"os/exec"
)

// startWithoutArgs: from a terminal, mingdeng with no arguments shows the help; a desktop
// launcher runs mingdeng start.
const startWithoutArgs = false

const exeName = "mingdeng"

const (
	startFolderZh = "当前文件夹"
	startFolderEn = "the current folder"
	stopHintZh    = "按 Ctrl+C 停止。"
	stopHintEn    = "Press Ctrl+C to stop."
)

// startFolder is the current folder, as for every other command: a Linux binary often sits in
// a folder the user cannot write to (/usr/local/bin).
func startFolder() (string, error) { return os.Getwd() }

// openBrowser opens url with the desktop's default browser (xdg-open, on Kylin and UOS too).
func openBrowser(url string) error {
	cmd := exec.Command("xdg-open", url)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// setupConsole has nothing to do: terminals here take UTF-8.
func setupConsole() (restore func()) { return func() {} }
