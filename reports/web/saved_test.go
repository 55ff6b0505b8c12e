package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckSavedName(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"各单位每月党小组会", true},
		{"2024年 上半年（线路工区）", true},
		{"meetings by month", true},
		{"", false}, {"   ", false},
		{"../up", false}, {"a/b", false}, {`a\b`, false}, {"..", false}, {".", false},
		{".hidden", false}, {" lead", false}, {"trail ", false}, {"trail.", false},
		{"CON", false}, {"con.backup", false}, {"LPT1", false}, {"console", true},
		{"a:b", false}, {"a*b", false}, {"问?", false}, {`"q"`, false}, {"<x>", false}, {"a|b", false},
		{"tab\there", false}, {"nul\x00byte", false},
		{strings.Repeat("名", 60), true}, {strings.Repeat("名", 61), false},
		{"bad\xffutf8", false},
	} {
		err := CheckSavedName(c.name)
		if (err == nil) != c.ok {
			t.Errorf("CheckSavedName(%q) = %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && (!strings.Contains(err.(*NameError).Message("zh"), "查询名称") || !strings.Contains(err.Error(), "query name")) {
			t.Errorf("message of %q: %v", c.name, err)
		}
	}
}

// FuzzSavedName: a name the check accepts is saved as exactly one file directly in the folder,
// and read back under the same name.
func FuzzSavedName(f *testing.F) {
	for _, s := range []string{"查询", "../x", `..\y`, "CON", "a.b", ".x", "名 称", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if CheckSavedName(name) != nil {
			return
		}
		parent := t.TempDir()
		st := savedStore{dir: filepath.Join(parent, "q")}
		if err := st.save(name, "select 1", false); err != nil {
			t.Fatalf("save %q: %v", name, err)
		}
		entries, _ := os.ReadDir(st.dir)
		if len(entries) != 1 || entries[0].Name() != name+savedExt {
			t.Fatalf("saving %q left %v in the folder", name, entries)
		}
		if outside, _ := os.ReadDir(parent); len(outside) != 1 {
			t.Fatalf("saving %q wrote beside the folder: %v", name, outside)
		}
		qs, err := st.list()
		if err != nil || len(qs) != 1 || qs[0].Name != name || qs[0].SQL != "select 1" {
			t.Fatalf("list after saving %q: %v %v", name, qs, err)
		}
	})
}
