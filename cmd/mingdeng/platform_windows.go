//go:build windows

package main

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// startWithoutArgs: a double-clicked mingdeng.exe opens the local pages (start).
const startWithoutArgs = true

const exeName = "mingdeng.exe"

// cpUTF8 is the UTF-8 code page.
const cpUTF8 = 65001

const (
	startFolderZh = " mingdeng.exe 所在的文件夹"
	startFolderEn = "the folder of mingdeng.exe"
	// Closing the console window ends the program cleanly: Go delivers the window's close event
	// as SIGTERM, which main turns into a cancelled context.
	stopHintZh = "要停止，请关闭此窗口或按 Ctrl+C。"
	stopHintEn = "To stop, close this window or press Ctrl+C."
)

// startFolder is the folder of mingdeng.exe: the folder unzipped for the office, where its data
// stays. A double-click from Explorer starts there anyway, but a shortcut or "run as
// administrator" starts in another folder (often C:\Windows\System32), so it is not left to the
// working folder.
func startFolder() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return filepath.Dir(exe), nil
}

// openBrowser opens url in the default browser.
func openBrowser(url string) error {
	verb, _ := windows.UTF16PtrFromString("open")
	file, err := windows.UTF16PtrFromString(url)
	if err != nil {
		return err
	}
	return windows.ShellExecute(0, verb, file, nil, nil, windows.SW_SHOWNORMAL)
}

// setupConsole sets the console's output code page to UTF-8 (65001) for the run and returns
// what restores the previous one. Go writes text to a console window as UTF-16, which shows
// Chinese under any code page; but what mingdeng writes into a pipe or a file is UTF-8, the
// same bytes as on Linux and what reports and its own ingest use, and a console program that
// shows it (mingdeng.exe status | more) decodes it with the console's code page, which on a
// Chinese Windows is 936 (GBK). Converting our output to 936 instead would make redirected
// files GBK and lose characters GBK lacks (rare characters in names); UTF-8 loses none.
func setupConsole() (restore func()) {
	old, err := windows.GetConsoleOutputCP()
	if err != nil || old == 0 || old == cpUTF8 {
		return func() {}
	}
	if windows.SetConsoleOutputCP(cpUTF8) != nil {
		return func() {}
	}
	return func() { windows.SetConsoleOutputCP(old) }
}
